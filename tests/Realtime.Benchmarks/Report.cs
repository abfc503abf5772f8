using System.Globalization;
using System.Text;

namespace Realtime.Benchmarks;

/// <summary>Medians over repetitions, side by side, with ratios to floor and SignalR, and the targets checked.</summary>
internal static class Report
{
    private static readonly (string Metric, string Header, string Format)[] s_columns =
    [
        ("deliveries_per_s", "deliveries/s", "N0"),
        ("p50_ms", "p50 ms", "0.00"),
        ("p95_ms", "p95 ms", "0.00"),
        ("p99_ms", "p99 ms", "0.00"),
        ("max_ms", "max ms", "0.0"),
        ("cpu_ms_per_1k", "CPU ms/1k", "0.00"),
        ("cpu_ms_per_1k_gateway", "gateway CPU ms/1k", "0.00"),
        ("cpu_ms_per_1k_silo", "silo CPU ms/1k", "0.00"),
        ("lost", "lost", "N0"),
        ("requests_per_s", "requests/s", "N0"),
        ("connects_per_s", "connects/s", "N0"),
        ("cpu_ms_per_connect", "CPU ms/connect", "0.000"),
        ("kb_per_conn_server", "KB/conn", "0.0"),
        ("kb_per_conn_gateway", "gateway KB/conn", "0.0"),
        ("kb_per_conn_silo", "silo KB/conn", "0.0"),
        ("silo_cpu_ms_per_publish", "silo CPU ms/publish", "0.000"),
        ("large_over_small", "large/small", "0.00"),
        ("bare_ms_per_s", "bare silo CPU ms/s", "0.0"),
        ("queues_ms_per_s", "realtime provider ms/s", "0.0"),
        ("memory_ms_per_s", "memory streams ms/s", "0.0"),
        ("silo_over_bare", "realtime ÷ bare", "0.00"),
        ("memory_over_bare", "memory ÷ bare", "0.00"),
    ];

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(double.IsFinite).Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>scenario → deployment → metric → median.</summary>
    public static Dictionary<string, Dictionary<string, Dictionary<string, double>>> Medians(IEnumerable<Result> results)
        => results.GroupBy(r => r.Scenario).ToDictionary(
            s => s.Key,
            s => s.GroupBy(r => r.Deployment).ToDictionary(
                d => d.Key,
                d => d.SelectMany(r => r.Metrics.Keys).Distinct().ToDictionary(m => m, m => Median(d.Select(r => r[m])))));

    public static string Markdown(IReadOnlyList<Result> results, string header)
    {
        var medians = Medians(results);
        var text = new StringBuilder();
        text.AppendLine(header).AppendLine();
        foreach (var scenario in results.Select(r => r.Scenario).Distinct())
        {
            var byDeployment = medians[scenario];
            var columns = s_columns.Where(c => byDeployment.Values.Any(m => m.ContainsKey(c.Metric))).ToList();
            var ratios = byDeployment.Values.Any(m => m.ContainsKey("deliveries_per_s")) || byDeployment.Values.Any(m => m.ContainsKey("requests_per_s"));
            text.AppendLine(CultureInfo.InvariantCulture, $"**{scenario}**").AppendLine();
            text.Append("| deployment | ").AppendJoin(" | ", columns.Select(c => c.Header));
            text.AppendLine(ratios ? " | rate ÷ floor | rate ÷ signalr | CPU ÷ floor |" : " |");
            text.Append("|---|").Append(string.Concat(columns.Select(_ => "---:|"))).AppendLine(ratios ? "---:|---:|---:|" : "");
            foreach (var (deployment, metrics) in byDeployment.OrderBy(d => Array.IndexOf(Deployment.All, d.Key)))
            {
                text.Append(CultureInfo.InvariantCulture, $"| {deployment} | ");
                text.AppendJoin(" | ", columns.Select(c => metrics.TryGetValue(c.Metric, out var v) && double.IsFinite(v) ? v.ToString(c.Format, CultureInfo.InvariantCulture) : ""));
                if (ratios)
                {
                    var rate = metrics.ContainsKey("deliveries_per_s") ? "deliveries_per_s" : "requests_per_s";
                    text.Append(" | ").Append(Ratio(byDeployment, deployment, "floor", rate))
                        .Append(" | ").Append(Ratio(byDeployment, deployment, "signalr", rate))
                        .Append(" | ").Append(Ratio(byDeployment, deployment, "floor", "cpu_ms_per_1k"));
                }

                text.AppendLine(" |");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    private static string Ratio(Dictionary<string, Dictionary<string, double>> byDeployment, string deployment, string baseline, string metric)
        => byDeployment.TryGetValue(deployment, out var mine) && byDeployment.TryGetValue(baseline, out var theirs)
            && mine.TryGetValue(metric, out var a) && theirs.TryGetValue(metric, out var b) && b > 0
            ? (a / b).ToString("0.00", CultureInfo.InvariantCulture) + "x"
            : "";
}
