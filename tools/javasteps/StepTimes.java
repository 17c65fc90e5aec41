/**
 * Times each step of a generated Java class that tools/javasteps.sh instrumented: runs it on one
 * pseudo-random input (uniform in [-1, 1), fixed seed) REPEAT times to warm up, then REPEAT times
 * more with each step's time summed, and prints every step's mean in microseconds.
 */
public final class StepTimes {
    private StepTimes() {}

    public static void main(String[] args) {
        int repeat = Integer.parseInt(args[0]);
        StepTimed model = new StepTimed();
        float[] input = new float[size(StepTimed.INPUT_SHAPE)];
        float[] output = new float[size(StepTimed.OUTPUT_SHAPE)];
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < input.length; i++) {
            input[i] = random.nextFloat() * 2 - 1;
        }
        for (int i = 0; i < repeat; i++) {
            model.run(input, output);
        }
        java.util.Arrays.fill(StepTimed.STEP_NANOS, 0);
        for (int i = 0; i < repeat; i++) {
            model.run(input, output);
        }
        long total = 0;
        for (int s = 0; s < StepTimed.STEP_NAMES.length; s++) {
            total += StepTimed.STEP_NANOS[s];
            System.out.printf("  %-50s %10.2f%n", StepTimed.STEP_NAMES[s], StepTimed.STEP_NANOS[s] / 1e3 / repeat);
        }
        System.out.printf("  %-50s %10.2f%n", "total", total / 1e3 / repeat);
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
