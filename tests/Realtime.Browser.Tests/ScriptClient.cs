using System.Text.Json;

namespace Realtime.Browser.Tests;

/// <summary>
/// A page that imports <c>/realtime.js</c> from the gateway and runs one <c>RealtimeClient</c>; what it
/// hears goes to <c>window.log</c>. <c>window.gate</c>, when a promise, holds the next connection back
/// (the client awaits it as its token), so a test can act while the client is away.
/// </summary>
public sealed class ScriptClient(BrowserPage browserPage) : IAsyncDisposable
{
    private const string Start = """
        async ({ url, options }) => {
          const { RealtimeClient } = await import('/realtime.js');
          window.log = [];
          window.gate = null;
          window.token = options.token ?? null;
          const getToken = async () => { if (window.gate) await window.gate; return window.token; };
          const client = new RealtimeClient({ url, getToken, reconnect: { initialDelayMs: 50, maxDelayMs: 500 }, ...options });
          window.client = client;
          client.on('*', push => log.push({ push }));
          client.onState(state => log.push({ state }));
          client.onRecoveryFailed(room => log.push({ recoveryFailed: room }));
          await client.connect();
          return client.clientId;
        }
        """;

    public IPage Page => browserPage.Page;

    public string ClientId { get; private set; } = "";

    /// <summary>Opens a page of the gateway and connects a client; <paramref name="route"/> may intercept its sockets first.</summary>
    public static async Task<ScriptClient> StartAsync(HeadlessChromium chromium, GatewayServer server, object? options = null, Func<IPage, Task>? route = null)
    {
        var client = new ScriptClient(await chromium.OpenAsync(new Uri(server.HttpUri, "/health")));
        if (route is not null)
        {
            await route(client.Page);
        }

        client.ClientId = await client.Page.EvaluateAsync<string>(Start, new { url = server.WsUri.ToString(), options = options ?? new { } });
        return client;
    }

    public Task<T> EvalAsync<T>(string script, object? arg = null) => Page.EvaluateAsync<T>(script, arg);

    public Task EvalAsync(string script, object? arg = null) => Page.EvaluateAsync(script, arg);

    /// <summary>Waits until <paramref name="predicate"/> (JavaScript, given <paramref name="arg"/>) is true in the page.</summary>
    public Task WaitAsync(string predicate, object? arg = null)
        => Page.WaitForFunctionAsync(predicate, arg, new PageWaitForFunctionOptions { Timeout = 20_000, PollingInterval = 20 });

    /// <summary>Waits for <paramref name="count"/> pushes of <paramref name="room"/> and returns the seqs delivered, in delivery order.</summary>
    public async Task<long[]> SeqsAsync(string room, int count)
    {
        await WaitAsync("([room, count]) => log.filter(e => e.push?.room === room && e.push.type === 't').length >= count", new object[] { room, count });
        return await EvalAsync<long[]>("room => log.filter(e => e.push?.room === room && e.push.type === 't').map(e => e.push.seq)", room);
    }

    /// <summary>Holds the next connection back until <see cref="OpenGateAsync"/>.</summary>
    public Task CloseGateAsync() => EvalAsync("() => { window.gate = new Promise(resolve => { window.openGate = () => { window.gate = null; resolve(null); }; }); }");

    public Task OpenGateAsync() => EvalAsync("() => window.openGate()");

    /// <summary>
    /// Holds the client's next connection back, loses the current one with <paramref name="drop"/>, runs
    /// <paramref name="whileAway"/> while it is reconnecting, then lets it connect again and waits until it has.
    /// </summary>
    public async Task AwayAndBackAsync(Func<Task> drop, Func<Task> whileAway)
    {
        await CloseGateAsync();
        await drop();
        await WaitAsync("() => client.state === 'reconnecting'");
        await whileAway();
        await OpenGateAsync();
        await WaitAsync("() => client.state === 'connected'");
    }

    /// <summary>The states the client went through, in order.</summary>
    public async Task<string[]> StatesAsync() => await EvalAsync<string[]>("() => log.filter(e => e.state).map(e => e.state)");

    /// <summary>A request's outcome: its reply data as JSON, or the error code it was rejected with.</summary>
    public async Task<(string? Data, string? Code)> RequestAsync(string type, string action, object? data, object? options = null)
    {
        var outcome = await EvalAsync<JsonElement>("""
            async ([type, action, data, options]) => {
              try { return { data: JSON.stringify(await client.request(type, action, data, options ?? {})) }; }
              catch (error) { return { code: error.code, name: error.name }; }
            }
            """, new[] { type, action, data, options });
        return (outcome.TryGetProperty("data", out var d) ? d.GetString() : null, outcome.TryGetProperty("code", out var c) ? c.GetString() : null);
    }

    public void AssertNoErrors() => browserPage.AssertNoErrors();

    public async ValueTask DisposeAsync()
    {
        await EvalAsync("() => window.client?.close()");
        await browserPage.DisposeAsync();
    }
}
