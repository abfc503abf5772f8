using System.Diagnostics;
using HdrHistogram;
using Realtime.Benchmarks.Load;
using Realtime.Testing;

namespace Realtime.Benchmarks;

/// <summary>How long and how hard each scenario runs.</summary>
internal sealed record Settings(TimeSpan Duration, int IdleConnections, int FanoutMembers, int Rooms, int RoomSize, int Window, int ConnectConcurrency, int SiloCostLarge, int RoomFill)
{
    public static Settings Full { get; } = new(TimeSpan.FromSeconds(4), 10_000, 1000, 100, 10, 8, 64, 5000, 10_000);

    public static Settings Quick { get; } = new(TimeSpan.FromSeconds(2), 2000, 300, 20, 10, 8, 64, 1000, 1000);
}

/// <summary>The scenarios, each measured against one running deployment.</summary>
internal sealed class Scenarios(Deployment deployment, Settings settings, int repetition, Action<Result> report)
{
    public static readonly string[] All = ["idle", "idle-users", "idle-cpu", "fanout", "rooms", "rtt", "silo-cost", "room-fill", "hot-room"];

    private static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The scenarios of <paramref name="selected"/> that apply to the deployment (two gateways: fan-out only; MessagePack clients: fan-out and rooms; silo cost: split only).</summary>
    public async Task RunAsync(IReadOnlyCollection<string> selected)
    {
        bool Runs(string scenario) => selected.Contains(scenario)
            && (deployment.Name != "split2" || scenario == "fanout")
            && (!deployment.Name.EndsWith("-msgpack", StringComparison.Ordinal) || scenario is "fanout" or "rooms");
        if (Runs("idle"))
        {
            await IdleAsync();
        }

        if (Runs("idle-users") && (deployment.Name.StartsWith("embedded", StringComparison.Ordinal) || deployment.Name.StartsWith("split", StringComparison.Ordinal)))
        {
            await IdleUsersAsync();
        }

        if (Runs("idle-cpu") && deployment.Name == "split")
        {
            await IdleSiloCpuAsync();
        }

        if (Runs("fanout"))
        {
            await FanOutAsync();
        }

        if (Runs("rooms"))
        {
            await ManyRoomsAsync();
        }

        if (Runs("rtt"))
        {
            await RoundTripsAsync();
        }

        if (Runs("silo-cost") && deployment.Name == "split")
        {
            await SiloCostAsync();
        }

        if (Runs("room-fill"))
        {
            await RoomFillAsync();
        }

        if (Runs("hot-room"))
        {
            await HotRoomAsync();
        }
    }

    /// <summary>Idle connections: connect rate, CPU per connect, resident memory per connection by process role.</summary>
    private async Task IdleAsync()
    {
        var connections = new List<BenchConnection>();
        try
        {
            var baseline = deployment.Processes.Select(p => ProcessStats.RssBytes(p.Process.Id)).ToArray();
            foreach (var target in new[] { Math.Min(1000, settings.IdleConnections), settings.IdleConnections }.Distinct())
            {
                await MeasureConnectsAsync($"idle-{target / 1000}k", connections, target - connections.Count, baseline);
            }
        }
        finally
        {
            await DisposeAllAsync(connections);
        }
    }

    /// <summary>
    /// Authenticated idle connections, one user each: what joining the user's room at connect costs
    /// (compare a deployment with its <c>-nousers</c> twin). The tokens are made before the clock starts.
    /// </summary>
    private async Task IdleUsersAsync()
    {
        var count = Math.Min(1000, settings.IdleConnections);
        var tokens = Enumerable.Range(0, count).Select(i => Tokens.Create($"bench-{repetition}-{i}-{Guid.NewGuid():N}")).ToArray();
        var connections = new List<BenchConnection>();
        try
        {
            var baseline = deployment.Processes.Select(p => ProcessStats.RssBytes(p.Process.Id)).ToArray();
            await MeasureConnectsAsync($"idle-users-{count / 1000}k", connections, count, baseline, tokens);
        }
        finally
        {
            await DisposeAllAsync(connections);
        }
    }

    /// <summary>
    /// Opens <paramref name="count"/> more connections (with <paramref name="tokens"/>, one each, when
    /// given) and reports the connect rate, CPU per connect and each process's memory per connection
    /// over <paramref name="baseline"/>, once the servers settled (timers, write-behind).
    /// </summary>
    private async Task MeasureConnectsAsync(string scenario, List<BenchConnection> connections, int count, long[] baseline, string[]? tokens = null)
    {
        var cpu = ProcessStats.CpuMs(deployment.Pids);
        var started = Stopwatch.GetTimestamp();
        connections.AddRange(await ConnectAsync(count, tokens));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuPerConnect = (ProcessStats.CpuMs(deployment.Pids) - cpu) / count;
        await Task.Delay(TimeSpan.FromSeconds(2));
        var result = new Result(deployment.Name, scenario, repetition)
        {
            ["connects_per_s"] = count / seconds,
            ["cpu_ms_per_connect"] = cpuPerConnect,
        };
        for (var i = 0; i < deployment.Processes.Count; i++)
        {
            var (role, process) = deployment.Processes[i];
            result[$"kb_per_conn_{role}"] = (ProcessStats.RssBytes(process.Id) - baseline[i]) / 1024.0 / connections.Count;
        }

        report(result);
    }

    /// <summary>One room, one publisher: at 30 msg/s, then flat out with a bounded window.</summary>
    private async Task FanOutAsync()
    {
        var connections = await ConnectAsync(settings.FanoutMembers);
        try
        {
            var group = await JoinAsync($"bench:fanout-{Guid.NewGuid():N}", connections);
            await WarmUpAsync([group]);
            await MeasureAsync($"fanout-{settings.FanoutMembers}-30/s", [group], null, phase => FixedRateAsync([group], 30, phase));
            await MeasureAsync($"fanout-{settings.FanoutMembers}-flat", [group], settings.Window, phase => FlatOutAsync([group], phase));
        }
        finally
        {
            await DisposeAllAsync(connections);
        }
    }

    /// <summary>Many rooms of a few members, a publisher in each: 1,000 msg/s in total, then flat out.</summary>
    private async Task ManyRoomsAsync()
    {
        var connections = await ConnectAsync(settings.Rooms * settings.RoomSize);
        try
        {
            var groups = await Task.WhenAll(Enumerable.Range(0, settings.Rooms).Select(r =>
                JoinAsync($"bench:rooms-{r}-{Guid.NewGuid():N}", connections.Skip(r * settings.RoomSize).Take(settings.RoomSize).ToList())));
            var name = $"rooms-{settings.Rooms}x{settings.RoomSize}";
            await WarmUpAsync(groups);
            await MeasureAsync($"{name}-1000/s", groups, null, phase => FixedRateAsync(groups, 1000, phase));
            await MeasureAsync($"{name}-flat", groups, settings.Window, phase => FlatOutAsync(groups, phase));
        }
        finally
        {
            await DisposeAllAsync(connections);
        }
    }

    /// <summary>Request/reply, one at a time: system/ping (answered by the gateway) and a handler (bench/echo).</summary>
    private async Task RoundTripsAsync()
    {
        var connection = (await ConnectAsync(1))[0];
        try
        {
            foreach (var (name, frame) in new (string, Func<long, byte[]>)[]
            {
                ("ping", id => deployment.Wire.Ping(id, Stopwatch.GetTimestamp())),
                ("handler", id => deployment.Wire.Echo(id, Stopwatch.GetTimestamp())),
            })
            {
                var latency = new LongHistogram(1, 60_000_000, 3);
                var failed = 0;
                var cpu = ProcessStats.CpuMs(deployment.Pids);
                var started = Stopwatch.GetTimestamp();
                while (Stopwatch.GetElapsedTime(started) < settings.Duration)
                {
                    var id = connection.NextId();
                    var sent = Stopwatch.GetTimestamp();
                    if (!await connection.RequestAsync(frame(id), id, TimeSpan.FromSeconds(10)))
                    {
                        failed++;
                    }

                    latency.RecordValue(Math.Max(1, Stopwatch.GetElapsedTime(sent).Ticks / 10));
                }

                var count = latency.TotalCount;
                report(new Result(deployment.Name, $"rtt-{name}", repetition)
                {
                    ["requests_per_s"] = count / Stopwatch.GetElapsedTime(started).TotalSeconds,
                    ["p50_ms"] = latency.GetValueAtPercentile(50) / 1000.0,
                    ["p99_ms"] = latency.GetValueAtPercentile(99) / 1000.0,
                    ["max_ms"] = latency.GetMaxValue() / 1000.0,
                    ["cpu_ms_per_1k"] = (ProcessStats.CpuMs(deployment.Pids) - cpu) / (count / 1000.0),
                    ["failed"] = failed,
                });
            }
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>
    /// A silo's CPU with no traffic at all, on each stream provider, over the same silo with none:
    /// what the provider costs idle (memory streams poll their queues; the realtime provider waits).
    /// Each silo runs alone (no gateway), on its own Redis, settled for 8 s, measured over at least 15 s.
    /// </summary>
    private async Task IdleSiloCpuAsync()
    {
        var window = TimeSpan.FromSeconds(Math.Max(15, settings.Duration.TotalSeconds * 5));
        var msPerSecond = new Dictionary<string, double>();
        foreach (var provider in new[] { "None", "Queues", "Memory" })
        {
            await using var cluster = await Realtime.Testing.ProcessCluster.StartAsync(silos: 1, gateways: 0, new Dictionary<string, string>
            {
                ["Realtime:Streams:Provider"] = provider,
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Realtime.SiloHost"] = "Information",
            });
            var pid = cluster.Silos[0].Process.Id;

            // A silo keeps working for a few seconds after it says it is ready (JIT, first timers):
            // 3 s of settling measured the bare silo at half its steady cost.
            await Task.Delay(TimeSpan.FromSeconds(8));
            var from = ProcessStats.CpuMs(pid);
            await Task.Delay(window);
            msPerSecond[provider] = (ProcessStats.CpuMs(pid) - from) / window.TotalSeconds;
        }

        report(new Result(deployment.Name, "idle-cpu", repetition)
        {
            ["bare_ms_per_s"] = msPerSecond["None"],
            ["queues_ms_per_s"] = msPerSecond["Queues"],
            ["memory_ms_per_s"] = msPerSecond["Memory"],
            ["silo_over_bare"] = msPerSecond["Queues"] / msPerSecond["None"],
            ["memory_over_bare"] = msPerSecond["Memory"] / msPerSecond["None"],
        });
    }

    /// <summary>
    /// The silo's CPU per publish to a small room and to a large one, at the same rate (one the large
    /// room sustains): it should not grow with members. Both rooms are joined and warmed up first, so
    /// that neither measurement carries the after-work of 5,000 connects and joins.
    /// </summary>
    private async Task SiloCostAsync()
    {
        const double rate = 20;
        var connections = await ConnectAsync(settings.SiloCostLarge);
        try
        {
            var sizes = new[] { 100, settings.SiloCostLarge };
            var rooms = new List<(string Room, List<BenchConnection> Members)>();
            foreach (var size in sizes)
            {
                var members = connections.Take(size).ToList();
                rooms.Add(((await JoinAsync($"bench:cost-{size}-{Guid.NewGuid():N}", members)).Room, members));
            }

            // A group owns its members' push callbacks, so each room gets its group when its turn comes.
            Group GroupOf(int i) => new(rooms[i].Room, rooms[i].Members[0], rooms[i].Members.Skip(1).ToList());
            for (var i = 0; i < sizes.Length; i++)
            {
                var warmup = GroupOf(i);
                await MeasureAsync($"silo-cost-warmup-{sizes[i]}", [warmup], null, phase => FixedRateAsync([warmup], rate, phase), publish: false);
            }

            var pids = deployment.PidsOf("silo");
            var perPublish = new List<double>();
            for (var i = 0; i < sizes.Length; i++)
            {
                var group = GroupOf(i);
                var from = ProcessStats.CpuMs(pids);
                var result = await MeasureAsync($"silo-cost-{sizes[i]}", [group], null, phase => FixedRateAsync([group], rate, phase), publish: false);
                result["silo_cpu_ms_per_publish"] = (ProcessStats.CpuMs(pids) - from) / group.Sent;
                perPublish.Add(result["silo_cpu_ms_per_publish"]);
                report(result);
            }

            report(new Result(deployment.Name, "silo-cost", repetition) { ["large_over_small"] = perPublish[1] / perPublish[0] });
        }
        finally
        {
            await DisposeAllAsync(connections);
        }
    }

    /// <summary>
    /// Joining costs the same in a big room: the same connections join 100 rooms of a hundredth
    /// each, then one room all together, with as many joins in flight in both fills (each small
    /// room takes <see cref="Settings.ConnectConcurrency"/> at a time, the big room 100 times
    /// that); the time of each fill, the big one over the small ones, and (with Redis) the bytes
    /// Redis received for each.
    /// </summary>
    private async Task RoomFillAsync()
    {
        var connections = await ConnectAsync(settings.RoomFill);
        try
        {
            var size = settings.RoomFill / 100;
            var redisBefore = await RedisBytesInAsync();
            var started = Stopwatch.GetTimestamp();
            await Task.WhenAll(Enumerable.Range(0, 100).Select(r =>
                JoinAsync($"bench:fill-small-{r}-{Guid.NewGuid():N}", connections.Skip(r * size).Take(size).ToList())));
            var small = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var redisSmall = await RedisBytesInAsync() - redisBefore;

            redisBefore = await RedisBytesInAsync();
            started = Stopwatch.GetTimestamp();
            await JoinAsync($"bench:fill-large-{Guid.NewGuid():N}", connections, 100 * settings.ConnectConcurrency);
            var large = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var redisLarge = await RedisBytesInAsync() - redisBefore;
            var result = new Result(deployment.Name, "room-fill", repetition)
            {
                ["small_rooms_s"] = small,
                ["large_room_s"] = large,
                ["large_over_small"] = large / small,
            };
            if (deployment.Redis is not null)
            {
                result["redis_mb_small_rooms"] = redisSmall / 1e6;
                result["redis_mb_large_room"] = redisLarge / 1e6;
            }

            report(result);
        }
        finally
        {
            await DisposeAllAsync(connections);
        }
    }

    /// <summary>One room of <see cref="Settings.RoomSize"/> members, every one of them publishing flat out.</summary>
    private async Task HotRoomAsync()
    {
        var connections = await ConnectAsync(settings.RoomSize);
        try
        {
            var room = (await JoinAsync($"bench:hot-{Guid.NewGuid():N}", connections)).Room;
            var hot = new HotRoom(room, connections, settings.Window);
            await MeasureAsync("hot-room-warmup", [hot], settings.Window, phase =>
                hot.FlatOutAsync(phase, Stopwatch.GetTimestamp() + (long)(settings.Duration.TotalSeconds * Stopwatch.Frequency)), publish: false);
            await MeasureAsync("hot-room", [hot], settings.Window, phase =>
                hot.FlatOutAsync(phase, Stopwatch.GetTimestamp() + (long)(settings.Duration.TotalSeconds * Stopwatch.Frequency)));
        }
        finally
        {
            await DisposeAllAsync(connections);
        }
    }

    /// <summary>What the deployment's Redis has received so far (<c>total_net_input_bytes</c>); 0 without Redis.</summary>
    private async Task<double> RedisBytesInAsync()
    {
        if (deployment.Redis is null)
        {
            return 0;
        }

        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(deployment.Redis.ConnectionString + ",allowAdmin=true");
        var stats = await redis.GetServer(redis.GetEndPoints()[0]).InfoAsync("stats");
        var bytes = stats.SelectMany(group => group).First(pair => pair.Key == "total_net_input_bytes").Value;
        return double.Parse(bytes, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Flat out for one duration, not reported: every server is measured warm (its code jitted at
    /// full tier, its pools grown), as a server that has run for a while is.
    /// </summary>
    private async Task WarmUpAsync(Group[] groups)
        => await MeasureAsync("warmup", groups, settings.Window, phase => FlatOutAsync(groups, phase), publish: false);

    private async Task<Result> MeasureAsync(string scenario, ILoad[] groups, int? window, Func<Phase, Task> traffic, bool publish = true)
    {
        var phase = Phase.Next();
        foreach (var group in groups)
        {
            group.Start(phase, window);
        }

        var cpuByRole = deployment.Processes.Select(p => ProcessStats.CpuMs(p.Process.Id)).ToArray();
        var started = Stopwatch.GetTimestamp();
        await traffic(phase);
        var drainStarted = Stopwatch.GetTimestamp();
        while (!groups.All(g => g.Drained) && Stopwatch.GetElapsedTime(drainStarted) < s_drainTimeout)
        {
            await Task.Delay(5);
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        foreach (var group in groups)
        {
            group.Stop();
        }

        var delivered = groups.Sum(g => g.Delivered);
        var cpu = deployment.Processes.Select((p, i) => ProcessStats.CpuMs(p.Process.Id) - cpuByRole[i]).ToArray();
        var result = new Result(deployment.Name, scenario, repetition)
        {
            ["deliveries_per_s"] = delivered / seconds,
            ["p50_ms"] = phase.PercentileMs(50),
            ["p95_ms"] = phase.PercentileMs(95),
            ["p99_ms"] = phase.PercentileMs(99),
            ["max_ms"] = phase.MaxMs,
            ["cpu_ms_per_1k"] = cpu.Sum() / (delivered / 1000.0),
            ["lost"] = groups.Sum(g => g.Lost),
            ["published"] = groups.Sum(g => g.Sent),
        };
        foreach (var role in deployment.Processes.Select(p => p.Role).Distinct())
        {
            if (deployment.Processes.Count > 1)
            {
                result[$"cpu_ms_per_1k_{role}"] = deployment.Processes.Select((p, i) => (p.Role, Cpu: cpu[i])).Where(p => p.Role == role).Sum(p => p.Cpu) / (delivered / 1000.0);
            }
        }

        if (publish)
        {
            report(result);
        }

        return result;
    }

    /// <summary>Publishes at <paramref name="rate"/> messages per second in total, round robin over the groups.</summary>
    private async Task FixedRateAsync(Group[] groups, double rate, Phase phase)
    {
        var started = Stopwatch.GetTimestamp();
        long sent = 0;
        while (true)
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (elapsed >= settings.Duration)
            {
                return;
            }

            var due = (long)(elapsed.TotalSeconds * rate) + 1;
            for (; sent < due; sent++)
            {
                await groups[sent % groups.Length].PublishAsync(phase);
            }

            await Task.Delay(1);
        }
    }

    /// <summary>Every publisher as fast as its window allows.</summary>
    private Task FlatOutAsync(Group[] groups, Phase phase)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(settings.Duration.TotalSeconds * Stopwatch.Frequency);
        return Task.WhenAll(groups.Select(async group =>
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                if (await group.Window!.WaitAsync(TimeSpan.FromMilliseconds(100)))
                {
                    await group.PublishAsync(phase);
                }
            }
        }));
    }

    private async Task<Group> JoinAsync(string room, List<BenchConnection> members, int? concurrency = null)
    {
        var joined = new bool[members.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, members.Count), new ParallelOptions { MaxDegreeOfParallelism = concurrency ?? settings.ConnectConcurrency }, async (i, _) =>
            joined[i] = await members[i].JoinAsync(room));
        if (joined.Any(j => !j))
        {
            throw new InvalidOperationException($"{joined.Count(j => !j)} joins to {room} failed on {deployment.Name}.");
        }

        return new Group(room, members[0], members.Skip(1).ToList());
    }

    /// <summary>Opens <paramref name="count"/> connections, spread over the deployment's gateways, some at a time.</summary>
    private async Task<List<BenchConnection>> ConnectAsync(int count, string[]? tokens = null)
    {
        var connections = new BenchConnection[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = settings.ConnectConcurrency }, async (i, token) =>
            connections[i] = await BenchConnection.ConnectAsync(deployment.Endpoints[i % deployment.Endpoints.Count], deployment.Wire, token, tokens?[i]));
        return [.. connections];
    }

    private static async Task DisposeAllAsync(IEnumerable<BenchConnection> connections)
    {
        await Task.WhenAll(connections.Select(c => c.DisposeAsync().AsTask()));

        // The servers clean up after the disconnects before the next scenario starts.
        await Task.Delay(TimeSpan.FromSeconds(1));
    }
}
