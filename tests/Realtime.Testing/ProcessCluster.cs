using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Realtime.Api;
using Realtime.Hosting;

namespace Realtime.Testing;

/// <summary>
/// A real deployment on this machine: redis-server, silo processes and gateway processes, each on
/// free loopback ports, started as a user would (the built programs with command-line settings).
/// The test process can join as an Orleans client, like an application service.
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    private readonly IDictionary<string, string> _settings;
    private readonly List<SiloNode> _silos = [];
    private readonly List<GatewayNode> _gateways = [];
    private IHost? _client;

    private ProcessCluster(RedisServer redis, IDictionary<string, string> settings)
    {
        Redis = redis;
        _settings = settings;
    }

    public RedisServer Redis { get; }

    public string ClusterId { get; } = "test-" + Guid.NewGuid().ToString("N")[..12];

    public IReadOnlyList<SiloNode> Silos => _silos;

    public IReadOnlyList<GatewayNode> Gateways => _gateways;

    /// <summary>Redis, then the silos, then the gateways, each waited for until ready.</summary>
    public static async Task<ProcessCluster> StartAsync(int silos, int gateways, IDictionary<string, string>? settings = null)
    {
        var cluster = new ProcessCluster(await RedisServer.StartAsync(), settings ?? new Dictionary<string, string>());
        try
        {
            await Task.WhenAll(Enumerable.Range(0, silos).Select(_ => cluster.StartSiloAsync()));
            await Task.WhenAll(Enumerable.Range(0, gateways).Select(_ => cluster.StartGatewayAsync()));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task<SiloNode> StartSiloAsync(SiloNode? replacing = null)
    {
        var siloPort = replacing?.SiloPort ?? FreePorts.Next();
        var gatewayPort = replacing?.GatewayPort ?? FreePorts.Next();
        var httpPort = replacing?.HttpPort ?? FreePorts.Next();
        var process = HostProcess.Start($"silo:{siloPort}", HostDll("silo", "Realtime.SiloHost.dll"), Arguments(
        [
            $"--Orleans:SiloPort={siloPort}",
            $"--Orleans:GatewayPort={gatewayPort}",
            $"--urls=http://127.0.0.1:{httpPort}",
        ]));
        var node = new SiloNode(process, siloPort, gatewayPort, httpPort);
        lock (_silos)
        {
            _silos.Remove(replacing!);
            _silos.Add(node);
        }

        await process.WaitForOutputAsync("Realtime silo ready", TimeSpan.FromSeconds(90));
        return node;
    }

    /// <summary>Starts a gateway process; unless <paramref name="waitHealthy"/> is false, waits until it is healthy.</summary>
    public async Task<GatewayNode> StartGatewayAsync(GatewayNode? replacing = null, bool waitHealthy = true)
    {
        var port = replacing?.Port ?? FreePorts.Next();
        var process = HostProcess.Start($"gateway:{port}", GatewayDll, Arguments(
        [
            $"--urls=http://127.0.0.1:{port}",
        ]));
        var node = new GatewayNode(process, port);
        lock (_gateways)
        {
            _gateways.Remove(replacing!);
            _gateways.Add(node);
        }

        if (waitHealthy)
        {
            await node.WaitHealthyAsync();
        }

        return node;
    }

    /// <summary>The test process as an Orleans client of the cluster: an application service.</summary>
    public async Task<IClusterClient> ClientAsync()
    {
        if (_client is null)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Redis"] = Redis.ConnectionString,
                ["Orleans:ClusterId"] = ClusterId,
                ["Orleans:ServiceId"] = ClusterId,
            });
            builder.AddRealtimeClient();
            _client = builder.Build();
            await _client.StartAsync().Within("the test's Orleans client to connect", TimeSpan.FromSeconds(60));
        }

        return _client.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>The realtime API, as an application service in another process uses it.</summary>
    public async Task<IRealtime> RealtimeAsync()
    {
        await ClientAsync();
        return _client!.Services.GetRequiredService<IRealtime>();
    }

    /// <summary>The silo that holds a grain's activation.</summary>
    public async Task<SiloNode> SiloOf(IAddressable grain)
    {
        var address = await (await ClientAsync()).GetGrain<IManagementGrain>(0).GetActivationAddress(grain)
            ?? throw new InvalidOperationException("The grain is not active anywhere.");
        return _silos.Single(s => s.SiloPort == address.Endpoint.Port);
    }

    /// <summary>Runs a test step; on failure, the processes' last output is added to the message.</summary>
    public async Task<T> Explain<T>(Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"{exception.GetType().Name}: {exception.Message}\n{Diagnostics()}");
        }
    }

    public string Diagnostics()
        => string.Join("\n\n", _silos.Select(s => s.Process).Concat(_gateways.Select(g => g.Process)).Select(p => $"== {p.Name}{(p.HasExited ? " (exited)" : "")}\n{p.Tail(25)}"));

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            try
            {
                await _client.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception)
            {
                // The cluster may already be gone.
            }

            _client.Dispose();
        }

        await Task.WhenAll(_gateways.Select(g => g.Process.DisposeAsync().AsTask()).Concat(_silos.Select(s => s.Process.DisposeAsync().AsTask())));
        await Redis.DisposeAsync();
    }

    private List<string> Arguments(IEnumerable<string> own)
    {
        var arguments = new List<string>
        {
            $"--ConnectionStrings:Redis={Redis.ConnectionString}",
            $"--Orleans:ClusterId={ClusterId}",
            $"--Orleans:ServiceId={ClusterId}",
            "--Orleans:AdvertisedIP=127.0.0.1",
            "--Logging:Console:FormatterName=simple",
            "--Logging:Console:FormatterOptions:SingleLine=true",
            "--Logging:LogLevel:Polly=Warning",
            OpenRooms.Argument,
            OneAddress.Argument,
        };
        arguments.AddRange(own);
        arguments.AddRange(_settings.Select(s => $"--{s.Key}={s.Value}"));
        return arguments;
    }

    /// <summary>The test module (an application as a module), for <c>Realtime:Modules</c>.</summary>
    public static string TestModuleDll => HostDll(Path.Combine("tests", "Realtime.TestModule"), "Realtime.TestModule.dll");

    /// <summary>The gateway program as built next to the caller (same configuration).</summary>
    public static string GatewayDll => HostDll("gateway", "Realtime.GatewayHost.dll");

    /// <summary>A host program as built next to the test (same configuration).</summary>
    public static string HostDll(string project, string dll)
    {
        var path = Path.Combine(RepoPaths.Root, project, "bin", RepoPaths.Configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{dll} is not built: dotnet build Grains.sln", path);
    }
}

/// <summary>A silo process; <paramref name="HttpPort"/> serves its <c>/metrics</c> and <c>/health</c>.</summary>
public sealed record SiloNode(HostProcess Process, int SiloPort, int GatewayPort, int HttpPort)
{
    /// <summary>The silo's HTTP listener.</summary>
    public Uri HttpUri => new($"http://127.0.0.1:{HttpPort}/");
}

/// <summary>A gateway process.</summary>
public sealed record GatewayNode(HostProcess Process, int Port)
{
    public Uri HttpUri => new($"http://127.0.0.1:{Port}/");

    public Uri WsUri => new($"ws://127.0.0.1:{Port}/ws");

    public Uri WsUriWithToken(string token) => new($"ws://127.0.0.1:{Port}/ws?token={Uri.EscapeDataString(token)}");

    /// <summary>Waits until /health answers 200 (connected to the cluster, accepting connections).</summary>
    public async Task WaitHealthyAsync(TimeSpan? timeout = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"{Process.Name} exited:\n{Process.Tail()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(HttpUri, "/health"));
                if (response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains("\"status\":\"Healthy\"", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Process.Name} did not become healthy:\n{Process.Tail()}");
            }

            await Task.Delay(100);
        }
    }

}
