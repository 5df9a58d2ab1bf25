package p.a;

import p.b.B;

/** Uses p.b.C only in a comment: not a use. */
public class A {
    B b;
}
