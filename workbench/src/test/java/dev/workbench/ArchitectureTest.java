package dev.workbench;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package arrows of docs/architecture.md, checked on the main classes:
 * {@code cli -> stages (finetune, synth, eval, report) and bench -> plan -> model, data, store, optim -> recipe}.
 * A layer may skip the ones below it (cli reads run folders through store); nothing points back up.
 */
@AnalyzeClasses(packages = "dev.workbench", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String CLI = "dev.workbench.cli..";
    private static final String BENCH = "dev.workbench.bench..";
    private static final String PLAN = "dev.workbench.plan..";
    private static final String RECIPE = "dev.workbench.recipe..";
    private static final String[] STAGES = {"dev.workbench.finetune..", "dev.workbench.synth..",
        "dev.workbench.eval..", "dev.workbench.report.."};
    private static final String[] FOUNDATION = {"dev.workbench.model..", "dev.workbench.data..",
        "dev.workbench.store..", "dev.workbench.optim.."};

    /** Every main class sits in one layer, so a new package has to be placed here (and in the drawing) first. */
    @ArchTest
    static final ArchRule layersPointOneWay = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("cli").definedBy(CLI)
            .layer("bench").definedBy(BENCH)
            .layer("stages").definedBy(STAGES)
            .layer("plan").definedBy(PLAN)
            .layer("model, data, store, optim").definedBy(FOUNDATION)
            .layer("recipe").definedBy(RECIPE)
            .whereLayer("cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("bench").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("stages").mayOnlyBeAccessedByLayers("cli", "bench")
            .whereLayer("plan").mayOnlyBeAccessedByLayers("cli", "bench", "stages")
            .whereLayer("model, data, store, optim").mayOnlyBeAccessedByLayers("cli", "bench", "stages", "plan")
            .whereLayer("recipe").mayOnlyBeAccessedByLayers("cli", "bench", "stages", "plan",
                    "model, data, store, optim")
            .ensureAllClassesAreContainedInArchitecture();

    @ArchTest
    static final ArchRule finetuneImportsNoOtherStage = noClasses().that().resideInAPackage("dev.workbench.finetune..")
            .should().dependOnClassesThat(resideInAnyPackage("dev.workbench.synth..", "dev.workbench.eval..",
                    "dev.workbench.report.."));

    @ArchTest
    static final ArchRule synthImportsNoOtherStage = noClasses().that().resideInAPackage("dev.workbench.synth..")
            .should().dependOnClassesThat(resideInAnyPackage("dev.workbench.finetune..", "dev.workbench.eval..",
                    "dev.workbench.report.."));

    @ArchTest
    static final ArchRule evalImportsNoOtherStage = noClasses().that().resideInAPackage("dev.workbench.eval..")
            .should().dependOnClassesThat(resideInAnyPackage("dev.workbench.finetune..", "dev.workbench.synth..",
                    "dev.workbench.report.."));

    /**
     * The one exception among the stages: report renders what evaluate measured, so it reads eval's values (the
     * classifier and synthetic scores, the paired tests of {@code compare}); it computes none of them.
     */
    @ArchTest
    static final ArchRule reportImportsOnlyEval = noClasses().that().resideInAPackage("dev.workbench.report..")
            .should().dependOnClassesThat(resideInAnyPackage("dev.workbench.finetune..", "dev.workbench.synth.."));

    @ArchTest
    static final ArchRule recipeImportsNoOtherWorkbenchPackage = noClasses().that().resideInAPackage(RECIPE)
            .should().dependOnClassesThat(resideInAPackage("dev.workbench..").and(resideOutsideOfPackage(RECIPE)));

    @ArchTest
    static final ArchRule modelImportsNoStage = noClasses().that().resideInAPackage("dev.workbench.model..")
            .should().dependOnClassesThat(resideInAnyPackage(CLI, BENCH, PLAN, "dev.workbench.finetune..",
                    "dev.workbench.synth..", "dev.workbench.eval..", "dev.workbench.report.."));

    /** The layers above allow sideways arrows inside a layer (data -> store, optim -> model): never in a circle. */
    @ArchTest
    static final ArchRule packagesFormNoCycle = slices().matching("dev.workbench.(*)..").should().beFreeOfCycles();
}
