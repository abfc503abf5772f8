using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Api;

namespace Realtime.Browser.Tests;

/// <summary>
/// The browser client with <c>protocol: 'msgpack'</c> (the codec the gateway serves next to
/// /realtime.js), and its first connect, in Chromium against the real gateway.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class MessagePackScriptTests(HeadlessChromium chromium, EmbeddedGateway gateway) : IClassFixture<EmbeddedGateway>
{
    private GatewayServer Server => gateway.Server;

    private IRealtime Realtime => Server.Services.GetRequiredService<IRealtime>();

    private static string Room() => "room:" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The pushes of type <c>t</c> a page heard in <paramref name="room"/>, each as "seq bytes? blob": whether data.blob was bytes, and data.blob as base64 or as it came.</summary>
    private static async Task<string[]> HeardAsync(ScriptClient client, string room, int count)
    {
        await client.WaitAsync("([room, count]) => log.filter(e => e.push?.room === room && e.push.type === 't').length >= count", new object[] { room, count });
        return await client.EvalAsync<string[]>("""
            room => log.filter(e => e.push?.room === room && e.push.type === 't').map(({ push }) => {
              const blob = push.data?.blob;
              const bytes = blob instanceof Uint8Array;
              return `${push.seq} ${bytes} ${bytes ? btoa(String.fromCharCode(...blob)) : blob ?? ''}`;
            })
            """, room);
    }

    [Fact]
    public async Task MessagePackAndJsonPagesShareARoomAndBytesStayBytesForMessagePack()
    {
        var room = Room();
        await using var packed = await ScriptClient.StartAsync(chromium, Server, new { protocol = "msgpack" });
        await using var json = await ScriptClient.StartAsync(chromium, Server);
        Assert.Equal("realtime.v1.msgpack", await packed.EvalAsync<string>("() => client.protocol"));
        Assert.Equal("realtime.v1.json", await json.EvalAsync<string>("() => client.protocol"));
        await packed.EvalAsync("room => client.join(room)", room);
        await json.EvalAsync("room => client.join(room)", room);

        // The MessagePack page publishes bytes; the server pushes bytes; the JSON page publishes text.
        var seq = await packed.EvalAsync<long>("room => client.publish(room, 't', 'n', { n: 1, blob: new Uint8Array([0, 1, 2, 255]) }, { echo: true })", room);
        await Realtime.SendToRoomAsync(room, RealtimePush.Binary("t", "n", [9, 8, 7]));
        await json.EvalAsync("room => client.publish(room, 't', 'n', { n: 3, blob: 'text' }, { echo: true })", room);

        var heardPacked = await HeardAsync(packed, room, 3);
        var heardJson = await HeardAsync(json, room, 3);
        Assert.Equal(1, seq);
        Assert.Equal(["1 true AAEC/w==", "2 false ", "3 false text"], heardPacked);
        Assert.Equal(["1 false AAEC/w==", "2 false ", "3 false text"], heardJson);
        // A push whose data is bytes: a Uint8Array on MessagePack, base64 on JSON.
        Assert.Equal("CQgH", await packed.EvalAsync<string>("room => { const d = log.find(e => e.push?.room === room && e.push.seq === 2).push.data; return d instanceof Uint8Array ? btoa(String.fromCharCode(...d)) : 'not bytes'; }", room));
        Assert.Equal("CQgH", await json.EvalAsync<string>("room => log.find(e => e.push?.room === room && e.push.seq === 2).push.data", room));
        packed.AssertNoErrors();
        json.AssertNoErrors();
    }

    [Fact]
    public async Task AMessagePackPageRecoversWhatItMissedInOrderWithItsBytes()
    {
        var room = Room();
        await using var client = await ScriptClient.StartAsync(chromium, Server, new { protocol = "msgpack", resume = false });
        await client.EvalAsync("room => client.join(room)", room);
        await Realtime.SendToRoomAsync(room, RealtimePush.Create("t", "n", new { n = 1 }));
        await HeardAsync(client, room, 1);

        await client.AwayAndBackAsync(
            () => Realtime.DisconnectClientAsync(client.ClientId, 1001, "test"),
            async () =>
            {
                await Realtime.SendToRoomAsync(room, RealtimePush.Create("t", "n", new { n = 2, blob = "plain" }));
                await Realtime.SendToRoomAsync(room, RealtimePush.Binary("t", "n", [1, 2, 3]));
            });
        await Realtime.SendToRoomAsync(room, RealtimePush.Create("t", "n", new { n = 4 }));

        var heard = await HeardAsync(client, room, 4);
        Assert.Equal(["1 false ", "2 false plain", "3 false ", "4 false "], heard);
        Assert.Equal("AQID", await client.EvalAsync<string>("room => { const d = log.find(e => e.push?.room === room && e.push.seq === 3).push.data; return d instanceof Uint8Array ? btoa(String.fromCharCode(...d)) : 'not bytes'; }", room));
        Assert.Empty(await client.EvalAsync<string[]>("() => log.filter(e => e.recoveryFailed).map(e => e.recoveryFailed)"));
        client.AssertNoErrors();
    }

    [Fact]
    public async Task RequestsAndTheirErrorsWorkTheSameOverMessagePack()
    {
        await using var client = await ScriptClient.StartAsync(chromium, Server, new { protocol = "msgpack" });

        Assert.Equal(("6", null), await client.RequestAsync("test", "add", new[] { 1, 2, 3 }));
        Assert.Equal((null, "UNKNOWN_ROUTE"), await client.RequestAsync("test", "nothing", null));
        Assert.Equal((null, "INVALID_MESSAGE"), await client.RequestAsync("system", "joinRoom", new { }));
        client.AssertNoErrors();
    }

    [Fact]
    public async Task AFirstConnectionThatCannotBeMadeRejectsAtOnceUnlessTheClientIsToldToRetry()
    {
        await using var page = await chromium.OpenAsync(new Uri(Server.HttpUri, "/health"));
        // A path with no WebSocket endpoint: every handshake fails.
        var url = new Uri(Server.WsUri, "/nowhere").ToString();

        var outcome = await page.Page.EvaluateAsync<JsonElement>("""
            async ({ url }) => {
              const { RealtimeClient } = await import('/realtime.js');
              const run = async options => {
                const closes = [];
                const client = new RealtimeClient({ url, reconnect: { initialDelayMs: 10, maxDelayMs: 20, maxAttempts: 2 }, ...options });
                client.onClose(event => closes.push(event.reconnecting));
                try { await client.connect(); return { connected: true }; }
                catch (error) { return { code: error.code, state: client.state, closes }; }
              };
              return { fast: await run({}), retried: await run({ retryFirstConnect: true }) };
            }
            """, new { url });

        Assert.Equal("DISCONNECTED", outcome.GetProperty("fast").GetProperty("code").GetString());
        Assert.Equal("disconnected", outcome.GetProperty("fast").GetProperty("state").GetString());
        Assert.Equal([false], outcome.GetProperty("fast").GetProperty("closes").EnumerateArray().Select(e => e.GetBoolean()));
        Assert.Equal("DISCONNECTED", outcome.GetProperty("retried").GetProperty("code").GetString());
        Assert.Equal([true, true, false], outcome.GetProperty("retried").GetProperty("closes").EnumerateArray().Select(e => e.GetBoolean()));
    }

    [Fact]
    public async Task AMessagePackClientWithoutItsCodecSaysSoAndDoesNotConnect()
    {
        await using var page = await chromium.OpenAsync(new Uri(Server.HttpUri, "/health"));
        await page.Page.RouteAsync("**/realtime-msgpack.js", route => route.FulfillAsync(new RouteFulfillOptions { Status = 404 }));

        var outcome = await page.Page.EvaluateAsync<JsonElement>("""
            async ({ url }) => {
              const { RealtimeClient } = await import('/realtime.js');
              const client = new RealtimeClient({ url, protocol: 'msgpack' });
              let bad = null;
              try { new RealtimeClient({ url, protocol: 'xml' }); } catch (error) { bad = error.name; }
              try { await client.connect(); return { connected: true }; }
              catch (error) { return { code: error.code, state: client.state, bad }; }
            }
            """, new { url = Server.WsUri.ToString() });

        Assert.Equal("UNSUPPORTED_PROTOCOL", outcome.GetProperty("code").GetString());
        Assert.Equal("disconnected", outcome.GetProperty("state").GetString());
        Assert.Equal("TypeError", outcome.GetProperty("bad").GetString());
    }
}
