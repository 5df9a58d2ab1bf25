package p.c;

import static p.a.A.CONSTANT;

public class C {
}
