using Realtime.Benchmarks.Load;
using Realtime.Testing;

namespace Realtime.Benchmarks;

/// <summary>A server under test: its processes (for CPU and memory), where clients connect, how they speak.</summary>
internal sealed class Deployment : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    private Deployment(string name, Wire wire)
    {
        Name = name;
        Wire = wire;
    }

    public string Name { get; }

    public Wire Wire { get; }

    /// <summary>Where clients connect (http://…/): one per gateway.</summary>
    public List<Uri> Endpoints { get; } = [];

    /// <summary>The server processes by role: "server", or "gateway" and "silo".</summary>
    public List<(string Role, HostProcess Process)> Processes { get; } = [];

    public bool IsRealtime => Wire is RealtimeWire or MessagePackWire && Name != "floor";

    /// <summary>The deployment's Redis, when it has one (split, split2, signalr-redis).</summary>
    public RedisServer? Redis { get; private set; }

    public IEnumerable<int> Pids => Processes.Select(p => p.Process.Id);

    public IEnumerable<int> PidsOf(string role) => Processes.Where(p => p.Role == role).Select(p => p.Process.Id);

    /// <summary>What a run measures unless told otherwise: the <c>-memory</c>, <c>-nousers</c> and <c>-msgpack</c> comparisons only on request.</summary>
    public static readonly string[] Default = ["floor", "signalr", "signalr-redis", "embedded", "split", "split2"];

    public static readonly string[] All = ["floor", "signalr", "signalr-redis", "embedded", "split", "split2", "embedded-memory", "split-memory", "embedded-nousers", "split-nousers", "embedded-msgpack", "split-msgpack"];

    /// <summary>Settings every realtime process gets: no rate limits (the generator is trusted), quiet logs, the echo handler.</summary>
    /// <remarks>
    /// A <c>-memory</c> deployment runs on Orleans memory streams instead of the realtime provider, a
    /// <c>-nousers</c> one without user rooms, for comparison. Tokens are validated (the
    /// <c>idle-users</c> scenario connects with them); anonymous connections stay allowed.
    /// </remarks>
    private static Dictionary<string, string> RealtimeSettings(string deployment) => new()
    {
        ["Realtime:Users:Rooms"] = deployment.EndsWith("-nousers", StringComparison.Ordinal) ? "false" : "true",
        ["Realtime:Auth:SigningKey"] = Tokens.Key,
        ["Realtime:Auth:Issuer"] = Tokens.Issuer,
        ["Realtime:Auth:Audience"] = Tokens.Audience,
        ["Realtime:Auth:AllowAnonymous"] = "true",
        ["Realtime:Streams:Provider"] = deployment.EndsWith("-memory", StringComparison.Ordinal) ? "Memory" : "Queues",
        ["Realtime:Gateway:RateLimitPerSecond"] = "0",
        ["Realtime:Gateway:RateLimitBytesPerSecond"] = "0",
        ["Realtime:Rooms:Categories:bench:Join"] = "Anyone",

        // The dashboard profiles every grain call: a development tool, not part of what is measured.
        ["Realtime:Dashboard:Enabled"] = "false",

        // Every benchmark client connects from 127.0.0.1.
        ["Realtime:Gateway:ConnectionsPerSecondPerIp"] = "0",
        ["Realtime:Gateway:MaxConnectionsPerIp"] = "0",
        ["Realtime:Modules:0"] = ProcessCluster.HostDll(Path.Combine("tests", "Realtime.Benchmarks.Module"), "Realtime.Benchmarks.Module.dll"),
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Realtime.SiloHost"] = "Information",
    };

    public static async Task<Deployment> StartAsync(string name)
    {
        switch (name)
        {
            case "floor":
            case "signalr":
                {
                    var deployment = new Deployment(name, name == "floor" ? RealtimeWire.Instance : SignalRWire.Instance);
                    var port = FreePorts.Next();
                    var process = HostProcess.Start(name, typeof(Deployment).Assembly.Location, ["serve", name, $"http://127.0.0.1:{port}"]);
                    deployment._owned.Add(process);
                    deployment.Processes.Add(("server", process));
                    await process.WaitForOutputAsync($"{name} ready");
                    deployment.Endpoints.Add(new Uri($"http://127.0.0.1:{port}/"));
                    return deployment;
                }

            case "signalr-redis":
                {
                    // Its own Redis, as the split deployment has: the backplane's CPU is Redis's, not counted (nor is the split's).
                    var deployment = new Deployment(name, SignalRWire.Instance);
                    var redis = await RedisServer.StartAsync();
                    deployment._owned.Add(redis);
                    deployment.Redis = redis;
                    var port = FreePorts.Next();
                    var process = HostProcess.Start(name, typeof(Deployment).Assembly.Location, ["serve", name, $"http://127.0.0.1:{port}", redis.ConnectionString]);
                    deployment._owned.Insert(0, process);
                    deployment.Processes.Add(("server", process));
                    await process.WaitForOutputAsync($"{name} ready");
                    deployment.Endpoints.Add(new Uri($"http://127.0.0.1:{port}/"));
                    return deployment;
                }

            case "embedded":
            case "embedded-memory":
            case "embedded-nousers":
            case "embedded-msgpack":
                {
                    var deployment = new Deployment(name, WireOf(name));
                    var port = FreePorts.Next();
                    var arguments = new List<string>
                    {
                        $"--urls=http://127.0.0.1:{port}",
                        $"--Orleans:SiloPort={FreePorts.Next()}",
                        $"--Orleans:GatewayPort={FreePorts.Next()}",
                    };
                    arguments.AddRange(RealtimeSettings(name).Select(s => $"--{s.Key}={s.Value}"));
                    var process = HostProcess.Start(name, ProcessCluster.GatewayDll, arguments);
                    deployment._owned.Add(process);
                    deployment.Processes.Add(("gateway", process));
                    await new GatewayNode(process, port).WaitHealthyAsync();
                    deployment.Endpoints.Add(new Uri($"http://127.0.0.1:{port}/"));
                    return deployment;
                }

            case "split":
            case "split2":
            case "split-memory":
            case "split-nousers":
            case "split-msgpack":
                {
                    var deployment = new Deployment(name, WireOf(name));
                    var cluster = await ProcessCluster.StartAsync(silos: 1, gateways: name == "split2" ? 2 : 1, RealtimeSettings(name));
                    deployment._owned.Add(cluster);
                    deployment.Redis = cluster.Redis;
                    deployment.Processes.Add(("silo", cluster.Silos[0].Process));
                    foreach (var gateway in cluster.Gateways)
                    {
                        deployment.Processes.Add(("gateway", gateway.Process));
                        deployment.Endpoints.Add(gateway.HttpUri);
                    }

                    return deployment;
                }

            default:
                throw new ArgumentException($"Unknown deployment {name}; known: {string.Join(", ", All)}.", nameof(name));
        }
    }

    /// <summary>A <c>-msgpack</c> deployment's clients speak <c>realtime.v1.msgpack</c>.</summary>
    private static Wire WireOf(string name) => name.EndsWith("-msgpack", StringComparison.Ordinal) ? MessagePackWire.Instance : RealtimeWire.Instance;

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
    }
}
