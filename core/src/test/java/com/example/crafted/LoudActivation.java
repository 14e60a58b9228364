package com.example.crafted;

import org.nd4j.linalg.activations.impl.ActivationIdentity;

/**
 * An activation on the class path but outside the packages a network file may name: {@code NetworkFilesTest} names it
 * in a crafted configuration and checks it is refused without ever being loaded (its static initialiser would say).
 */
public class LoudActivation extends ActivationIdentity {

    private static final long serialVersionUID = 1L;

    public static final String LOADED = "workbench.test.loud-activation-loaded";

    static {
        System.setProperty(LOADED, "true");
    }
}
