import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Starts Amazon's DynamoDB Local bound to 127.0.0.1 only.
 *
 * DynamoDB Local's command line has no host option: its Jetty server listens on every
 * interface. This launcher builds the server from the usual command-line arguments, sets the
 * connector's host before Jetty starts, and exits when standard input closes, so the JVM
 * never outlives the Node process that started it (even when that process is killed).
 *
 * Run with Java 11+ in source-file mode:
 *   java -Djava.library.path=DIR/DynamoDBLocal_lib -cp DIR/DynamoDBLocal.jar DynamoDbLocalOnLoopback.java ARGS
 */
public class DynamoDbLocalOnLoopback {
  public static void main(String[] args) throws Exception {
    String host = System.getProperty("redress.host", "127.0.0.1");
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    int bound = 0;
    for (Connector connector : jetty.getConnectors()) {
      if (connector instanceof ServerConnector) {
        ((ServerConnector) connector).setHost(host);
        bound++;
      }
    }
    if (bound == 0) {
      System.err.println("DynamoDbLocalOnLoopback: no connector to bind to " + host);
      System.exit(2);
    }
    Thread watchdog = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // Input is ignored; only its end matters.
        }
      } catch (Exception ignored) {
        // A broken pipe means the parent has gone too.
      }
      System.exit(0);
    }, "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    proxy.start();
    System.out.println("DynamoDbLocalOnLoopback: listening on " + host);
    proxy.join();
  }
}
