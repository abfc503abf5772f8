using System.Diagnostics.Metrics;

namespace Realtime;

/// <summary>Histogram buckets the realtime meters share: the SDK's defaults (0 to 10,000) suit milliseconds, not seconds.</summary>
public static class RealtimeMetricBuckets
{
    /// <summary>Durations in seconds, from 0.1 ms (a delivery on one machine) to 30 s (a handler's longest time limit).</summary>
    public static InstrumentAdvice<double> Seconds { get; } = new()
    {
        HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    };
}
