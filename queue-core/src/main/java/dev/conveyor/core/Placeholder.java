package dev.conveyor.core; final class Placeholder {}
