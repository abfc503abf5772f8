using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Realtime.Gateway.Cluster;
using Realtime.Gateway.Hosting;
using Realtime.GatewayHost;

namespace Realtime.Testing;

/// <summary>
/// The real gateway application (<see cref="GatewayApp"/>), embedded silo and all, on Kestrel with
/// a free loopback port. Settings are passed as command-line configuration, as a user would.
/// </summary>
public sealed class GatewayServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayServer(WebApplication app, LogCapture logs, Uri httpUri, FakeGatewayCluster? fake = null)
    {
        _app = app;
        Fake = fake;
        Logs = logs;
        HttpUri = httpUri;
    }

    public Uri HttpUri { get; }

    public Uri WsUri => WsUriFor("/ws");

    public LogCapture Logs { get; }

    /// <summary>The in-memory cluster the gateway runs on, when it was started on one.</summary>
    public FakeGatewayCluster? Fake { get; }

    public IServiceProvider Services => _app.Services;

    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    /// <summary>
    /// Every category is open to anyone (<see cref="OpenRooms"/>) unless <paramref name="settings"/> say
    /// otherwise; <paramref name="shippedRoomPolicies"/> keeps the shipped policies instead.
    /// </summary>
    public static async Task<GatewayServer> StartAsync(IDictionary<string, string>? settings = null, Action<WebApplicationBuilder>? configure = null, LogLevel logLevel = LogLevel.Warning, bool shippedRoomPolicies = false)
    {
        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            $"--Orleans:SiloPort={FreePorts.Next()}",
            $"--Orleans:GatewayPort={FreePorts.Next()}",
            $"--Orleans:ClusterId=test-{Guid.NewGuid():N}",
            OneAddress.Argument,

            // The dashboard profiles every grain call; its own test turns it on.
            "--Realtime:Dashboard:Enabled=false",
        };
        if (!shippedRoomPolicies)
        {
            args.Add(OpenRooms.Argument);
        }

        if (logLevel < LogLevel.Warning)
        {
            // Override the shipped appsettings' categories too, so everything the gateway logs is seen.
            args.Add($"--Logging:LogLevel:Default={logLevel}");
            args.Add($"--Logging:LogLevel:Microsoft.AspNetCore={logLevel}");
            args.Add($"--Logging:LogLevel:Realtime={logLevel}");
        }

        AddSettings(args, settings);
        var logs = new LogCapture(logLevel);
        var app = GatewayApp.Create([.. args], builder =>
        {
            CaptureLogs(builder, logs, logLevel);
            configure?.Invoke(builder);
        });
        return await StartedAsync(app, logs, "the gateway to start", TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// The gateway library alone on Kestrel, on <paramref name="cluster"/> instead of Orleans: no
    /// silo, no cluster client, only the gateway's own logic. Settings as on the command line;
    /// <paramref name="time"/> (a fake clock, say) replaces the gateway's clock.
    /// </summary>
    public static async Task<GatewayServer> StartAsync(FakeGatewayCluster cluster, IDictionary<string, string>? settings = null, LogLevel logLevel = LogLevel.Warning, TimeProvider? time = null)
    {
        var args = new List<string> { "--urls=http://127.0.0.1:0", OneAddress.Argument };
        AddSettings(args, settings);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. args],

            // No appsettings of any host: only what the test says.
            ContentRootPath = Directory.CreateTempSubdirectory("realtime-fake-").FullName,
        });
        var logs = new LogCapture(logLevel);
        CaptureLogs(builder, logs, logLevel);
        builder.Services.AddSingleton<IGatewayCluster>(cluster);
        if (time is not null)
        {
            builder.Services.AddKeyedSingleton(RealtimeClock.Key, time);
        }

        builder.Services.AddRealtimeGateway(builder.Configuration.GetSection("Realtime"));
        var app = builder.Build();
        app.MapRealtimePaths();
        app.MapRealtimeHealth("/health");
        return await StartedAsync(app, logs, "the gateway on a fake cluster to start", TimeSpan.FromSeconds(30), cluster);
    }

    private static void AddSettings(List<string> args, IDictionary<string, string>? settings)
        => args.AddRange((settings ?? new Dictionary<string, string>()).Select(s => $"--{s.Key}={s.Value}"));

    private static void CaptureLogs(WebApplicationBuilder builder, LogCapture logs, LogLevel logLevel)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(logLevel);
    }

    private static async Task<GatewayServer> StartedAsync(WebApplication app, LogCapture logs, string what, TimeSpan timeout, FakeGatewayCluster? fake = null)
    {
        await app.StartAsync().Within(what, timeout);
        var address = app.Urls.First(u => u.StartsWith("http://", StringComparison.Ordinal));
        return new GatewayServer(app, logs, new Uri(address), fake);
    }

    /// <summary>The gateway library on a new <see cref="FakeGatewayCluster"/> (see <see cref="Fake"/>).</summary>
    public static Task<GatewayServer> StartOnFakeAsync(IDictionary<string, string>? settings = null, LogLevel logLevel = LogLevel.Warning)
        => StartAsync(new FakeGatewayCluster(), settings, logLevel);

    public Uri WsUriFor(string pathAndQuery) => new(HttpUri.ToString().Replace("http://", "ws://", StringComparison.Ordinal).TrimEnd('/') + pathAndQuery);

    public Task<WsClient> ConnectAsync(string pathAndQuery = "/ws", Action<System.Net.WebSockets.ClientWebSocketOptions>? configure = null)
        => WsClient.ConnectAsync(WsUriFor(pathAndQuery), configure);

    /// <summary>
    /// Cuts a connection's socket on the server, as a network that drops it would (no close frame):
    /// its session may wait for a resume. False when no connection of that id is here.
    /// </summary>
    public bool Cut(string clientId)
    {
        // The gateway's connection table is internal to it; a test reaches in the way a failing network would.
        var tableType = Type.GetType("Realtime.Gateway.Connections.ConnectionTable, Realtime.Gateway", throwOnError: true)!;
        var table = _app.Services.GetRequiredService(tableType);
        object?[] arguments = [clientId, null];
        if (!(bool)tableType.GetMethod("TryGet")!.Invoke(table, arguments)!)
        {
            return false;
        }

        arguments[1]!.GetType().GetMethod("Abort")!.Invoke(arguments[1], null);
        return true;
    }

    /// <summary>Connects with a token in the query string.</summary>
    public Task<WsClient> ConnectWithTokenAsync(string token) => ConnectAsync("/ws?token=" + Uri.EscapeDataString(token));

    /// <summary>Tries a WebSocket handshake and returns the HTTP status it got (101 when it upgraded).</summary>
    public async Task<int> HandshakeStatusAsync(string pathAndQuery = "/ws", Action<System.Net.WebSockets.ClientWebSocketOptions>? configure = null)
    {
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(socket.Options);
        try
        {
            await socket.ConnectAsync(WsUriFor(pathAndQuery), CancellationToken.None).Within("the handshake");
            socket.Abort();
            return 101;
        }
        catch (System.Net.WebSockets.WebSocketException)
        {
            return (int)socket.HttpStatusCode;
        }
    }

    public async Task StopAsync() => await _app.StopAsync().Within("the gateway to stop", TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (Exception) when (_app.Services.GetService<IHostApplicationLifetime>()?.ApplicationStopped.IsCancellationRequested == true)
        {
        }

        await _app.DisposeAsync();
    }
}
