package dev.conveyor.worker; final class Placeholder {}
