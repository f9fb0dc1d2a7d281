/**
 * Logs silent and metrics off for a benchmark that drives the handlers in its own process, unless
 * its caller says otherwise. A side-effect module, imported before anything else: Powertools'
 * Logger and Metrics read these when the modules that create them load, and an ES module's imports
 * all load before its own body runs, so an assignment there comes too late (it did: `bench:cost`
 * and the whole-life partitions bench ran with logs at INFO and metrics on).
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
