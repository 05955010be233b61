package dev.conveyor.server.cli; public final class Conveyor { public static void main(String[] a){} }
