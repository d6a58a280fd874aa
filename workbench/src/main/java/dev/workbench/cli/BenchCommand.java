package dev.workbench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code workbench bench ...}: measurements that print figures, each against a reference measured in the same
 * invocation (PyTorch, DJL's tokenizer, ...). Benchmarks are commands, not tests: timings in tests are noise. Each
 * subcommand here only declares its options and picks the exit code; what it measures and prints lives in package
 * {@code dev.workbench.bench}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: throughput and memory, with ratios against a reference run in the same invocation.",
        subcommands = {
                BenchDataCommand.class,
                BenchTokenizerCommand.class,
                BenchBaselinesCommand.class,
                BenchTrainCommand.class,
                BenchSynthCommand.class,
                BenchSynthQualityCommand.class,
                BenchSynthEvidenceCommand.class,
                BenchGpt2Command.class,
                BenchLlamaCommand.class,
                BenchModelCommand.class,
        })
final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
