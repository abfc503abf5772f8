using System.Globalization;
using System.Text.Json;

namespace Realtime.Benchmarks;

/// <summary>The figures of one scenario on one deployment in one repetition.</summary>
internal sealed class Result(string deployment, string scenario, int repetition)
{
    public string Deployment { get; } = deployment;

    public string Scenario { get; } = scenario;

    public int Repetition { get; } = repetition;

    public SortedDictionary<string, double> Metrics { get; } = new(StringComparer.Ordinal);

    public double this[string metric]
    {
        get => Metrics.TryGetValue(metric, out var value) ? value : double.NaN;
        set => Metrics[metric] = value;
    }

    public string ToJson()
    {
        var line = new Dictionary<string, object> { ["deployment"] = Deployment, ["scenario"] = Scenario, ["rep"] = Repetition };
        foreach (var (key, value) in Metrics)
        {
            line[key] = double.IsFinite(value) ? Math.Round(value, 4) : (object)value.ToString(CultureInfo.InvariantCulture);
        }

        return JsonSerializer.Serialize(line);
    }
}
