package io.fabricstitch.ignite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A JDBC or thin client allowed in when {@link FabricSecurityConfiguration} is on: a login with a password (from a
 * file, or inline for tests) and/or the common name (CN) of the client certificate it connects with, and a role.
 * {@code READER} may run SELECT on every table and nothing else; {@code ADMIN} may do what Ignite allows. A Spring
 * bean:
 * <pre>{@code
 * <bean class="io.fabricstitch.ignite.FabricUser">
 *     <property name="login" value="dba"/>
 *     <property name="passwordFile" value="/etc/fabric-stitch/dba.password"/>
 *     <property name="role" value="ADMIN"/>
 * </bean>}</pre>
 */
public final class FabricUser implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** What a user may do. */
    public enum Role {
        /** SELECT and cache reads only: no DML, no DDL, no KILL SERVICE, no service calls. */
        READER,
        /** Everything Ignite's permissions cover. */
        ADMIN;

        /**
         * @throws IllegalArgumentException naming the value and the accepted names
         */
        public static Role parse(String name) {
            if (name != null) {
                for (Role r : values()) {
                    if (r.name().equals(name.trim().toUpperCase(Locale.ROOT)))
                        return r;
                }
            }
            throw new IllegalArgumentException("role: '" + name + "' (expected one of: READER, ADMIN)");
        }
    }

    private String login;
    private String password;
    private String passwordFile;
    private String certificateCn;
    private Role role = Role.READER;

    public FabricUser setLogin(String login) {
        this.login = login;
        return this;
    }

    /** The password inline: for tests; prefer {@link #setPasswordFile}. */
    public FabricUser setPassword(String password) {
        this.password = password;
        return this;
    }

    /** A file holding the password (surrounding blanks ignored). */
    public FabricUser setPasswordFile(String passwordFile) {
        this.passwordFile = passwordFile;
        return this;
    }

    /** The CN of a client certificate that logs in as this user with no password (the connector must use TLS). */
    public FabricUser setCertificateCn(String certificateCn) {
        this.certificateCn = certificateCn;
        return this;
    }

    /** {@code READER} (default) or {@code ADMIN}. */
    public FabricUser setRole(String role) {
        this.role = Role.parse(role);
        return this;
    }

    public String getLogin() {
        return login;
    }

    public String getPasswordFile() {
        return passwordFile;
    }

    public String getCertificateCn() {
        return certificateCn;
    }

    public Role role() {
        return role;
    }

    public String getRole() {
        return role.name();
    }

    /**
     * The password, read from its file when one is set, or null when the user logs in by certificate only.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read
     */
    public String effectivePassword() {
        if (passwordFile == null)
            return password;
        try {
            return Files.readString(Path.of(passwordFile), StandardCharsets.UTF_8).strip();
        }
        catch (IOException e) {
            throw new IllegalArgumentException("FabricUser " + login + ": passwordFile " + passwordFile + " cannot "
                + "be read: " + e.getMessage() + " (expected: a readable file holding the password)", e);
        }
    }

    /**
     * @throws IllegalArgumentException naming what is missing
     */
    void validate() {
        if (login == null || login.isBlank())
            throw new IllegalArgumentException("FabricUser.login: not set (expected: the name a client logs in with)");
        if (password == null && passwordFile == null && certificateCn == null)
            throw new IllegalArgumentException("FabricUser " + login + ": no password, passwordFile or certificateCn "
                + "(expected: at least one way to log in)");
    }

    @Override
    public String toString() {
        return "FabricUser [" + login + ", " + role + (certificateCn == null ? "" : ", CN=" + certificateCn) + ']';
    }
}
