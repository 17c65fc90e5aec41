package dev.bnnc.cli;

/** The language bnnc generates. */
public enum Target {
    java,
    c
}
