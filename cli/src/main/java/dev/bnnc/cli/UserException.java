package dev.bnnc.cli;

/** Bad input from the user (a flag, a path, a shape): reported as one line, exit status 2. */
public class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }
}
