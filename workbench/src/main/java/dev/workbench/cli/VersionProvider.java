package dev.workbench.cli;

import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"workbench " + (version == null ? "dev" : version),
                "Java " + System.getProperty("java.version")};
    }
}
