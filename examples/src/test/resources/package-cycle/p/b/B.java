package p.b;

public class B {
    p.c.C c;
    String s = "p.d.D";
}
