import { type AuditEntry, auditMonth } from '../../functions/domain/audit.js';
import type { AuditLog } from '../../functions/domain/ports.js';

/** The audit log in memory, once per entry id as the DynamoDB log keeps it, oldest first. */
export class MemoryAuditLog implements AuditLog {
  readonly entries: AuditEntry[] = [];

  async record(entry: AuditEntry): Promise<void> {
    if (this.entries.some((e) => e.id === entry.id)) return;
    this.entries.push(structuredClone(entry));
    this.entries.sort((a, b) => a.at.localeCompare(b.at));
  }

  async *between(fromMonth: string, toMonth: string, since?: string): AsyncIterable<AuditEntry> {
    for (const e of this.entries) {
      const month = auditMonth(e.at);
      if (month >= fromMonth && month <= toMonth && (since === undefined || e.at >= since)) yield e;
    }
  }
}
