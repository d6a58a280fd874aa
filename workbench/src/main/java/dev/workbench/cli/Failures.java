package dev.workbench.cli;

import dev.workbench.recipe.RecipeException;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.DiskFullException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** The one place that turns exceptions into messages and exit codes. */
final class Failures implements IExecutionExceptionHandler {

    static int exitCode(Throwable t) {
        if (t instanceof WorkbenchException w) {
            return w.kind().exitCode();
        }
        if (DiskFullException.isDiskFull(t)) {
            return WorkbenchException.Kind.DISK_FULL.exitCode();
        }
        if (t instanceof NoSuchFileException || t instanceof FileSystemException) {
            return WorkbenchException.Kind.ENVIRONMENT.exitCode();
        }
        if (t instanceof UnsatisfiedLinkError) {
            return WorkbenchException.Kind.ENVIRONMENT.exitCode();
        }
        return WorkbenchException.Kind.STAGE_FAILED.exitCode();
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof NoSuchFileException) {
            message = "no such file: " + e.getMessage();
        } else if (e instanceof IOException && !(e instanceof FileSystemException)) {
            message = "I/O error: " + message;
        }
        if (e instanceof RecipeException) {
            cmd.getErr().println(message); // already one "FILE:LINE:COL: error: ..." line per problem
        } else {
            cmd.getErr().println("error: " + message);
        }
        if (System.getenv("WORKBENCH_DEBUG") != null) {
            e.printStackTrace(cmd.getErr());
        }
        return exitCode(e);
    }
}
