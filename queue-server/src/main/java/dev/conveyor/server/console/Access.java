package dev.conveyor.server.console;

/** The role checks of the pages and actions, in one place. */
final class Access {
    private Access() {
    }

    static void requireReader(Call call) {
        if (!call.user().canRead()) {
            throw new Forbidden("the console needs the technician, operator or admin role; "
                    + call.user().name() + " has " + describe(call.user()));
        }
    }

    static void requireOperator(Call call) {
        if (!call.user().operator()) {
            throw new Forbidden("this needs the operator or admin role; " + call.user().name() + " has "
                    + describe(call.user()));
        }
    }

    static void requireTechnician(Call call) {
        if (!call.user().technician()) {
            throw new Forbidden("validating a rack needs the technician or admin role; " + call.user().name()
                    + " has " + describe(call.user()));
        }
    }

    private static String describe(ConsoleUser user) {
        return user.roles().isEmpty() ? "no role" : user.roleLabels();
    }
}
