package dev.workbench.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A bash/zsh completion script for every command and option: {@code source <(bin/workbench completion)}. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print a bash completion script: source <(bin/workbench completion)")
public final class CompletionCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().print(AutoComplete.bash("workbench", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
    }
}
