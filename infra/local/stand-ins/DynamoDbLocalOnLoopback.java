import com.almworks.sqlite4java.SQLiteConnection;
import com.almworks.sqlite4java.SQLiteJob;
import com.almworks.sqlite4java.SQLiteQueue;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Starts Amazon's DynamoDB Local bound to 127.0.0.1 only, with transactions durable once
 * answered.
 *
 * DynamoDB Local's command line has no host option: its Jetty server listens on every
 * interface. This launcher builds the server from the usual command-line arguments, sets the
 * connector's host before Jetty starts, and exits when standard input closes, so the JVM
 * never outlives the Node process that started it (even when that process is killed).
 *
 * DynamoDB Local answers TransactWriteItems (and ExecuteTransaction) before the transaction's
 * COMMIT has run: it queues the COMMIT on its SQLite thread and does not wait for it. A JVM
 * killed in that moment loses a write it had acknowledged, which DynamoDB never does (the fault
 * tests kill it on purpose). So the answer to a transaction is held until the SQLite queue has
 * run everything queued before it, the COMMIT included.
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
    jetty.setHandler(new DurableTransactions(jetty.getHandler(), proxy));
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

  /** Holds the answer to a transaction until DynamoDB Local's SQLite queue has committed it. */
  static final class DurableTransactions extends Handler.Wrapper {
    private final Object root;
    private volatile List<SQLiteQueue> queues = List.of();

    DurableTransactions(Handler inner, Object root) {
      super(inner);
      this.root = root;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String target = request.getHeaders().get("X-Amz-Target");
      if (target == null || !(target.endsWith(".TransactWriteItems") || target.endsWith(".ExecuteTransaction"))) {
        return super.handle(request, response, callback);
      }
      Response held = new Response.Wrapper(request, response) {
        private boolean drained;

        @Override
        public void write(boolean last, ByteBuffer content, Callback written) {
          if (!drained) {
            drained = true;
            drain();
          }
          super.write(last, content, written);
        }
      };
      return super.handle(request, held, callback);
    }

    /** Runs an empty job on each SQLite queue and waits for it: the queue runs jobs in order. */
    private void drain() {
      if (queues.isEmpty()) queues = findQueues(root);
      for (SQLiteQueue queue : queues) {
        queue.execute(new SQLiteJob<Void>() {
          @Override
          protected Void job(SQLiteConnection connection) {
            return null;
          }
        }).complete();
      }
    }
  }

  /**
   * The SQLite queues reachable from DynamoDB Local's server, found by walking its own objects'
   * fields (and the maps and collections they hold): the databases are opened on first use,
   * behind private fields, so there is no API to ask.
   */
  static List<SQLiteQueue> findQueues(Object root) {
    List<SQLiteQueue> found = new ArrayList<>();
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Object[]> pending = new ArrayDeque<>();
    pending.add(new Object[] {root, 0});
    while (!pending.isEmpty()) {
      Object[] next = pending.poll();
      Object value = next[0];
      int depth = (Integer) next[1];
      if (value == null || depth > 8 || !seen.add(value)) continue;
      if (value instanceof SQLiteQueue) {
        found.add((SQLiteQueue) value);
        continue;
      }
      if (value instanceof Map) {
        for (Object item : ((Map<?, ?>) value).values()) pending.add(new Object[] {item, depth + 1});
        continue;
      }
      if (value instanceof Collection) {
        for (Object item : (Collection<?>) value) pending.add(new Object[] {item, depth + 1});
        continue;
      }
      if (!value.getClass().getName().startsWith("software.amazon.dynamodb.")) continue;
      for (Class<?> type = value.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
        for (Field member : type.getDeclaredFields()) {
          if (member.getType().isPrimitive() || Modifier.isStatic(member.getModifiers())) continue;
          try {
            member.setAccessible(true);
            pending.add(new Object[] {member.get(value), depth + 1});
          } catch (ReflectiveOperationException | RuntimeException unreadable) {
            // Not one of DynamoDB Local's own fields that matter here.
          }
        }
      }
    }
    return found;
  }
}
