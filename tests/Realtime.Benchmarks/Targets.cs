using System.Globalization;
using System.Text;

namespace Realtime.Benchmarks;

/// <summary>The performance targets of the project, checked against the medians of one run.</summary>
internal static class Targets
{
    public static string Check(IReadOnlyList<Result> results, Settings settings)
    {
        var m = Report.Medians(results);
        var lines = new List<(bool? Met, string Text)>();
        double Get(string scenario, string deployment, string metric)
            => m.TryGetValue(scenario, out var s) && s.TryGetValue(deployment, out var d) && d.TryGetValue(metric, out var v) ? v : double.NaN;
        void Target(string text, double value, string relation, double limit, string unit = "")
        {
            bool? met = double.IsFinite(value) && double.IsFinite(limit) ? (relation == ">=" ? value >= limit : value <= limit) : null;
            lines.Add((met, string.Create(CultureInfo.InvariantCulture, $"{text}: {value:0.###}{unit} (target {relation} {limit:0.###}{unit})")));
        }

        var fanout = $"fanout-{settings.FanoutMembers}-flat";
        foreach (var deployment in new[] { "embedded", "split", "split2" })
        {
            var rate = Get(fanout, deployment, "deliveries_per_s");
            Target($"{fanout} {deployment} deliveries/s vs SignalR", rate / Get(fanout, "signalr", "deliveries_per_s"), ">=", 1.2, "x");
            Target($"{fanout} {deployment} deliveries/s vs floor", rate / Get(fanout, "floor", "deliveries_per_s"), ">=", 0.7, "x");
        }

        Target($"{fanout} embedded CPU per 1k vs floor", Get(fanout, "embedded", "cpu_ms_per_1k") / Get(fanout, "floor", "cpu_ms_per_1k"), "<=", 1.3, "x");
        Target($"{fanout} split CPU per 1k (silo + gateway) vs floor", Get(fanout, "split", "cpu_ms_per_1k") / Get(fanout, "floor", "cpu_ms_per_1k"), "<=", 1.5, "x");

        // Issue 15's bar for many small rooms: ratios in the same run, since the machine's speed varies.
        var rooms = $"rooms-{settings.Rooms}x{settings.RoomSize}";
        double Rooms(string suffix, string deployment, string metric) => Get($"{rooms}-{suffix}", deployment, metric);
        Target($"{rooms}-flat embedded deliveries/s vs SignalR", Rooms("flat", "embedded", "deliveries_per_s") / Rooms("flat", "signalr", "deliveries_per_s"), ">=", 1.0, "x");
        Target($"{rooms}-flat split deliveries/s vs signalr-redis", Rooms("flat", "split", "deliveries_per_s") / Rooms("flat", "signalr-redis", "deliveries_per_s"), ">=", 1.0, "x");
        Target($"{rooms}-flat embedded CPU per 1k vs floor", Rooms("flat", "embedded", "cpu_ms_per_1k") / Rooms("flat", "floor", "cpu_ms_per_1k"), "<=", 2.0, "x");
        Target($"{rooms}-flat split CPU per 1k (silo + gateway) vs floor", Rooms("flat", "split", "cpu_ms_per_1k") / Rooms("flat", "floor", "cpu_ms_per_1k"), "<=", 2.5, "x");
        Target($"{rooms}-1000/s embedded p50 vs floor", Rooms("1000/s", "embedded", "p50_ms") / Rooms("1000/s", "floor", "p50_ms"), "<=", 1.3, "x");
        Target($"{rooms}-1000/s split p50 vs floor", Rooms("1000/s", "split", "p50_ms") / Rooms("1000/s", "floor", "p50_ms"), "<=", 2.0, "x");
        Target($"{rooms}-1000/s split p99 vs floor", Rooms("1000/s", "split", "p99_ms") / Rooms("1000/s", "floor", "p99_ms"), "<=", 4.0, "x");

        Target(string.Create(CultureInfo.InvariantCulture, $"room fill, split: one room of {settings.RoomFill} over 100 rooms of {settings.RoomFill / 100} (time)"), Get("room-fill", "split", "large_over_small"), "<=", 1.5, "x");
        Target("hot room (1 room, 10 members all publishing) embedded deliveries/s vs SignalR", Get("hot-room", "embedded", "deliveries_per_s") / Get("hot-room", "signalr", "deliveries_per_s"), ">=", 0.7, "x");
        Target("hot room split deliveries/s vs signalr-redis", Get("hot-room", "split", "deliveries_per_s") / Get("hot-room", "signalr-redis", "deliveries_per_s"), ">=", 0.5, "x");
        Target("idle silo CPU over the same silo without a stream provider", Get("idle-cpu", "split", "silo_over_bare"), "<=", 1.2, "x");

        var idle = $"idle-{settings.IdleConnections / 1000}k";
        Target($"{idle} split gateway memory per connection", Get(idle, "split", "kb_per_conn_gateway"), "<=", 16, " KB");
        Target($"{idle} split silo memory per connection", Get(idle, "split", "kb_per_conn_silo"), "<=", 4, " KB");
        Target($"{idle} embedded connect rate", Get(idle, "embedded", "connects_per_s"), ">=", 3000, "/s");
        // Issue 14: joining the user's room at connect costs the connect path at most 10%.
        foreach (var deployment in new[] { "embedded", "split" })
        {
            Target($"idle-users-1k {deployment} connect rate vs without user rooms", Get("idle-users-1k", deployment, "connects_per_s") / Get("idle-users-1k", deployment + "-nousers", "connects_per_s"), ">=", 0.9, "x");
            foreach (var role in deployment == "embedded" ? new[] { "gateway" } : ["gateway", "silo"])
            {
                Target($"idle-users-1k {deployment} {role} memory per connection vs without user rooms", Get("idle-users-1k", deployment, $"kb_per_conn_{role}") / Get("idle-users-1k", deployment + "-nousers", $"kb_per_conn_{role}"), "<=", 1.1, "x");
            }
        }

        Target("silo CPU per publish, large room over small room (split)", Get("silo-cost", "split", "large_over_small"), "<=", 1.2, "x");

        var lost = results.Where(r => r.Metrics.ContainsKey("lost")).Sum(r => r["lost"]);
        Target("lost deliveries, every scenario and repetition", lost, "<=", 0);

        var text = new StringBuilder("Targets (medians of this run):").AppendLine().AppendLine();
        foreach (var (met, line) in lines)
        {
            text.Append("- ").Append(met switch { true => "met", false => "NOT MET", null => "not measured" }).Append(": ").AppendLine(line);
        }

        return text.ToString();
    }
}
