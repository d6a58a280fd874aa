package dev.workbench.cli;

import dev.workbench.report.ReportServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code workbench serve [--port N] [--reports DIR]}: a loopback-only static server for the reports folder. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the reports folder on 127.0.0.1 (loopback only) until interrupted; / is an index of the "
                + "runs (recipe, run, status, headline metrics, links to the reports).")
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8765", description = "port (0 = any free port; default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--reports", defaultValue = "reports", paramLabel = "DIR",
            description = "folder to serve (default ${DEFAULT-VALUE})")
    Path reports;

    @Option(names = "--runs", defaultValue = "runs", paramLabel = "DIR",
            description = "runs folder, for the index page's status of runs without a report (default "
                    + "${DEFAULT-VALUE})")
    Path runs;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "loopback address to bind (non-loopback addresses are refused; default ${DEFAULT-VALUE})")
    String bind;

    @Override
    public Integer call() throws Exception {
        ReportServer server = ReportServer.start(InetAddress.getByName(bind), port, reports, Optional.of(runs));
        spec.commandLine().getOut().println("serving " + reports.toAbsolutePath() + " at " + server.uri()
                + " (Ctrl+C to stop)");
        spec.commandLine().getOut().flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
