using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Realtime.Client.Tests;

/// <summary>
/// A WebSocket peer that plays a script, for what the real server never does on demand (a seq gap
/// on a live connection, a silent server). Each connection runs <see cref="Script"/>.
/// </summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _connections;

    private ScriptedServer(WebApplication app, Func<ScriptedConnection, Task> script)
    {
        _app = app;
        Script = script;
    }

    public Func<ScriptedConnection, Task> Script { get; }

    public int Connections => Volatile.Read(ref _connections);

    public Uri Uri => new(_app.Urls.First().Replace("http://", "ws://", StringComparison.Ordinal) + "/ws");

    public static async Task<ScriptedServer> StartAsync(Func<ScriptedConnection, Task> script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new ScriptedServer(app, script);
        app.UseWebSockets();
        app.Map("/ws", async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            Interlocked.Increment(ref server._connections);
            var connection = new ScriptedConnection(socket);
            try
            {
                await script(connection);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ChannelClosedException)
            {
            }
        });
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One connection to a <see cref="ScriptedServer"/>: send frames, read the client's frames.</summary>
public sealed class ScriptedConnection(WebSocket socket)
{
    public Task SendAsync(string json) => socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    public async Task<JsonElement> ReceiveAsync(string what)
    {
        var buffer = new byte[64 * 1024];
        var result = await socket.ReceiveAsync(buffer, CancellationToken.None).Within(what);
        return JsonDocument.Parse(buffer.AsMemory(0, result.Count)).RootElement.Clone();
    }

    /// <summary>Reads until a frame of the given action arrives (skipping pongs).</summary>
    public async Task<JsonElement> ExpectAsync(string action)
    {
        while (true)
        {
            var frame = await ReceiveAsync($"a {action} frame from the client");
            if (frame.GetProperty("action").GetString() == action)
            {
                return frame;
            }
        }
    }

    /// <summary>Keeps the connection open, reading (and dropping) whatever the client sends, until it closes.</summary>
    public async Task HoldAsync()
    {
        var buffer = new byte[4096];
        while (socket.State == WebSocketState.Open)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
        }
    }
}
