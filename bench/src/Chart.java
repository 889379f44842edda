import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * The throughput-against-batch-size chart of docs/BENCHMARKS.md, drawn with Java2D (no plotting library here):
 * one bar per LOGSTASH_BATCH_SIZE of the batch-* results.
 *
 *   Chart results.tsv out.png
 */
final class Chart {

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        List<Map<String, String>> runs = Results.read(Path.of(args[0])).startingWith("batch-");
        runs.sort((a, b) -> Integer.compare(Integer.parseInt(a.get("batch")), Integer.parseInt(b.get("batch"))));
        if (runs.isEmpty()) {
            throw new IllegalStateException("no batch-* results in " + args[0]);
        }
        int width = 900;
        int height = 560;
        int left = 110;
        int right = 30;
        int top = 110;
        int bottom = 80;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);

        double max = runs.stream().mapToDouble(r -> Math.max(Double.parseDouble(r.get("events_per_s")), perCpu(r)))
                .max().orElse(1) * 1.15;  // room for the labels above the tallest bar
        double step = niceStep(max / 5);
        double axisMax = Math.ceil(max / step) * step;
        int plotHeight = height - top - bottom;
        int plotWidth = width - left - right;

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString("logship upload -> TCP sink: throughput by LOGSTASH_BATCH_SIZE", left, 32);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(runs.get(0).get("events") + " NDJSON events (loghub, ~175 B each) per run, after a warm-up upload",
                left, 52);
        Color wall = new Color(52, 101, 164);
        Color cpu = new Color(170, 196, 228);
        g.setColor(wall);
        g.fillRect(left, 66, 12, 12);
        g.setColor(cpu);
        g.fillRect(left, 84, 12, 12);
        g.setColor(Color.BLACK);
        g.drawString("events/s end to end (label: also MB/s of input)", left + 18, 77);
        g.drawString("events per logship CPU-second (user + system, measured upload only)", left + 18, 95);

        for (double v = 0; v <= axisMax + step / 2; v += step) {
            int y = top + plotHeight - (int) (v / axisMax * plotHeight);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(left, y, left + plotWidth, y);
            g.setColor(Color.DARK_GRAY);
            String label = String.format("%,.0f", v);
            g.drawString(label, left - 10 - g.getFontMetrics().stringWidth(label), y + 5);
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.5f));
        g.drawLine(left, top, left, top + plotHeight);
        g.drawLine(left, top + plotHeight, left + plotWidth, top + plotHeight);

        int slot = plotWidth / runs.size();
        int barWidth = (int) (slot * 0.4);
        for (int i = 0; i < runs.size(); i++) {
            Map<String, String> run = runs.get(i);
            double eps = Double.parseDouble(run.get("events_per_s"));
            int barHeight = (int) (eps / axisMax * plotHeight);
            int x = left + i * slot + slot / 2 - barWidth;
            int y = top + plotHeight - barHeight;
            g.setColor(wall);
            g.fillRect(x, y, barWidth, barHeight);
            double efficiency = perCpu(run);
            if (efficiency > 0) {
                int cpuHeight = (int) (efficiency / axisMax * plotHeight);
                g.setColor(cpu);
                g.fillRect(x + barWidth, top + plotHeight - cpuHeight, barWidth, cpuHeight);
                g.setColor(Color.DARK_GRAY);
                String label = String.format("%,.0f", efficiency);
                g.drawString(label, x + barWidth + (barWidth - g.getFontMetrics().stringWidth(label)) / 2,
                        top + plotHeight - cpuHeight - 7);
            }
            g.setColor(Color.BLACK);
            String value = String.format("%,.0f/s", eps);
            String mb = run.get("mb_per_s") + " MB/s";
            g.drawString(value, x + (barWidth - g.getFontMetrics().stringWidth(value)) / 2, y - 22);
            g.drawString(mb, x + (barWidth - g.getFontMetrics().stringWidth(mb)) / 2, y - 7);
            String batch = run.get("batch");
            g.drawString(batch, x + barWidth - g.getFontMetrics().stringWidth(batch) / 2, top + plotHeight + 20);
        }
        g.drawString("LOGSTASH_BATCH_SIZE (events per write)", left + plotWidth / 2 - 120, height - 35);
        g.rotate(-Math.PI / 2);
        g.drawString("events per second", -(top + plotHeight / 2 + 50), 25);
        g.dispose();
        ImageIO.write(image, "png", Path.of(args[1]).toFile());
        System.out.println("chart: " + args[1]);
    }

    private static double perCpu(Map<String, String> run) {
        double cpu = Double.parseDouble(run.getOrDefault("cpu_s", "0"));
        return cpu > 0 ? Double.parseDouble(run.get("events")) / cpu : 0;
    }

    private static double niceStep(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= raw) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
