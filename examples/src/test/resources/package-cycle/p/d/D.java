package p.d;

import p.a.A;

public class D {
}
