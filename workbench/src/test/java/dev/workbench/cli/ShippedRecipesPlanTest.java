package dev.workbench.cli;

import dev.workbench.testing.FetchedInputs;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every shipped recipe plans: its data loads and splits, its base model (the shipped checkpoint, or a preset with its
 * tokenizer) is found, and the derived sizes print. This is what a fresh clone's user does first.
 */
class ShippedRecipesPlanTest {

    @TestFactory
    Stream<DynamicTest> everyRecipeInTheRepositoryPlans() throws IOException {
        Path recipes = Path.of(System.getProperty("workbench.repo.root", "..")).resolve("recipes");
        List<Path> files;
        try (Stream<Path> list = Files.list(recipes)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 5, "quickstart, base and three domain recipes: " + files);
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            FetchedInputs.assumePresent(file);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            picocli.CommandLine cli = new picocli.CommandLine(new PlanCommand());
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(err));
            cli.setExecutionExceptionHandler(new Failures());
            assertEquals(0, cli.execute(file.toString(), "--json"), err.toString());
            assertTrue(out.toString().contains("\"plan\""), out.toString());
        }));
    }
}
