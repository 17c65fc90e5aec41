package dev.bnnc.cli.verify;

import dev.bnnc.ir.Tensor;
import dev.bnnc.ir.Value;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/** An instance of a compiled, generated model class, called through its public {@code run} API. */
public final class GeneratedModel {
    private final Object instance;
    private final Method run;
    private final boolean single;
    private final List<Value> inputs;
    private final List<Value> outputs;
    private final Integer interval;

    public GeneratedModel(Class<?> generated, List<Value> inputs, List<Value> outputs) {
        this(generated, inputs, outputs, null);
    }

    /** A thinnable model run at {@code interval} (its {@code run(..., interval)} form); null for the plain form. */
    public GeneratedModel(Class<?> generated, List<Value> inputs, List<Value> outputs, Integer interval) {
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.single = inputs.size() == 1 && outputs.size() == 1;
        this.interval = interval;
        try {
            this.instance = generated.getConstructor().newInstance();
            Class<?> array = single ? float[].class : float[][].class;
            this.run = interval == null ? generated.getMethod("run", array, array) : generated.getMethod("run", array, array, int.class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("generated class " + generated.getName() + " lacks its API: " + e, e);
        }
    }

    /** Runs on the given inputs (graph input order) and returns the outputs. */
    public List<Tensor> run(List<Tensor> in) {
        float[][] ins = new float[in.size()][];
        for (int i = 0; i < ins.length; i++) {
            ins[i] = in.get(i).toFloatArray();
        }
        float[][] outs = new float[outputs.size()][];
        for (int k = 0; k < outs.length; k++) {
            outs[k] = new float[outputs.get(k).type().size()];
        }
        try {
            Object in0 = single ? ins[0] : ins;
            Object out0 = single ? outs[0] : outs;
            if (interval == null) {
                run.invoke(instance, in0, out0);
            } else {
                run.invoke(instance, in0, out0, interval);
            }
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("generated code failed: " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        List<Tensor> result = new ArrayList<>();
        for (int k = 0; k < outs.length; k++) {
            result.add(Tensor.adoptFloats(outputs.get(k).type().shape(), outs[k]));
        }
        return result;
    }

    public List<Value> inputs() {
        return inputs;
    }
}
