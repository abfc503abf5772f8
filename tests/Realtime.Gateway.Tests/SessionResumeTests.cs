using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Api;

namespace Realtime.Gateway.Tests;

/// <summary>
/// Session resume through real sockets: <c>?resume=&lt;token&gt;</c> within the window gives back the
/// same client id, rooms and metadata, and the rooms recover what came meanwhile; any token that
/// cannot resume gives a fresh session, never an error.
/// </summary>
public sealed class SessionResumeTests : IAsyncLifetime
{
    private GatewayServer _server = null!;

    private IRealtime Realtime => _server.Services.GetRequiredService<IRealtime>();

    public async Task InitializeAsync() => _server = await StartAsync("00:02:00");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task WithinTheWindowTheSameSessionComesBackInItsRoomsAndRecoversWhatCameMeanwhile()
    {
        var user = TestIds.User();
        var room = TestIds.Room();
        var first = await _server.ConnectWithTokenAsync(Tokens.Create(user));
        var joined = await first.JoinAsync(room);
        await first.RequestAsync("system", "setMetadata", new { key = "name", value = "Ann" });
        var token = ResumeToken(first);
        var epoch = joined.GetProperty("epoch").GetString();

        await first.AbortAsync();
        await Realtime.SendToRoomAsync(room, "chat", "message", new { text = "while away" });
        await Realtime.SendToRoomAsync(room, "chat", "message", new { text = "not for you" }, new SendOptions { Exclude = [first.ClientId] });
        var members = await Realtime.GetRoomMembersAsync(room);
        var online = await Realtime.IsOnlineAsync(user);
        await using var second = await ResumeAsync(token, Tokens.Create(user));
        var roomJoined = await second.WaitForPushAsync(p => p.GetProperty("action").GetString() == "roomJoined" && p.GetProperty("room").GetString() == room, "the room's roomJoined");
        var recovered = await second.JoinAsync(room, since: 0, epoch: epoch);
        var info = await Realtime.GetClientAsync(second.ClientId);

        Assert.Equal(first.ClientId, second.ClientId);
        Assert.True(second.Connected.GetProperty("data").GetProperty("resumed").GetBoolean());
        Assert.NotEqual(token, ResumeToken(second));
        Assert.Equal([first.ClientId], members.Select(m => m.ClientId));
        Assert.True(online);
        Assert.Equal(2, roomJoined.GetProperty("data").GetProperty("seq").GetInt64());
        Assert.True(recovered.GetProperty("recovered").GetBoolean());
        Assert.Equal(["while away"], recovered.GetProperty("missed").EnumerateArray().Select(p => p.Text()));
        Assert.Equal("Ann", info!.Metadata["name"]);
        Assert.Contains(room, info.Rooms);
        await Realtime.SendToRoomAsync(room, "chat", "message", new { text = "live" });
        Assert.Equal("live", (await second.WaitForPushAsync(p => p.GetProperty("type").GetString() == "chat", "the live push after the resume")).Text());
        _server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task ATokenThatIsUsedForeignOrGarbageGivesAFreshSession()
    {
        var (ann, bob) = (TestIds.User(), TestIds.User());
        var first = await _server.ConnectWithTokenAsync(Tokens.Create(ann));
        var token = ResumeToken(first);
        await first.AbortAsync();

        await using var foreign = await ResumeAsync(token, Tokens.Create(bob));
        await using var resumed = await ResumeAsync(token, Tokens.Create(ann));
        await resumed.AbortAsync();
        await using var reused = await ResumeAsync(token, Tokens.Create(ann));
        await using var garbage = await ResumeAsync("c_nothing.not-a-token!", Tokens.Create(ann));
        await using var badSecret = await ResumeAsync(first.ClientId + ".AAAA", Tokens.Create(ann));
        await using var empty = await ResumeAsync("", null);

        Assert.Equal(first.ClientId, resumed.ClientId);
        foreach (var fresh in new[] { foreign, reused, garbage, badSecret, empty })
        {
            Assert.False(fresh.Connected.GetProperty("data").GetProperty("resumed").GetBoolean());
            Assert.NotEqual(first.ClientId, fresh.ClientId);
        }
    }

    [Fact]
    public async Task ResumingASessionWhoseSocketIsStillOpenClosesTheOldOneWith4002()
    {
        var old = await _server.ConnectAsync();

        await using var resumed = await ResumeAsync(ResumeToken(old), null);

        Assert.Equal(old.ClientId, resumed.ClientId);
        Assert.Equal((WebSocketCloseStatus)4002, await old.WaitForCloseAsync("the old socket's 4002"));
        await Realtime.SendToClientAsync(resumed.ClientId, "note", "n", new { text = "to the new socket" });
        Assert.Equal("to the new socket", (await resumed.NextPushAsync("the push to the resumed session")).Text());
    }

    [Fact]
    public async Task ANormalCloseEndsTheSessionAtOnce()
    {
        var room = TestIds.Room();
        var client = await _server.ConnectAsync();
        await client.JoinAsync(room);
        var token = ResumeToken(client);

        await client.CloseAsync();
        await TestWait.Until(async () => (await Realtime.GetRoomMembersAsync(room)).Count == 0, "the closed session to leave its room");
        await using var after = await ResumeAsync(token, null);

        Assert.False(after.Connected.GetProperty("data").GetProperty("resumed").GetBoolean());
    }

    [Fact]
    public async Task AfterTheWindowTheSessionHasEndedAndItsTokenGivesAFreshOne()
    {
        await using var server = await StartAsync("00:00:01");
        var user = TestIds.User();
        var room = TestIds.Room();
        var client = await server.ConnectWithTokenAsync(Tokens.Create(user));
        await client.JoinAsync(room);
        var token = ResumeToken(client);
        var realtime = server.Services.GetRequiredService<IRealtime>();

        await client.AbortAsync();
        await TestWait.Until(async () => (await realtime.GetRoomMembersAsync(room)).Count == 0, "the dropped session to leave its room when its window is over");
        await using var late = await WsClient.ConnectAsync(server.WsUriFor($"/ws?token={Uri.EscapeDataString(Tokens.Create(user))}&resume={Uri.EscapeDataString(token)}"));

        Assert.False(late.Connected.GetProperty("data").GetProperty("resumed").GetBoolean());
        Assert.NotEqual(client.ClientId, late.ClientId);
        Assert.Null(await realtime.GetClientAsync(client.ClientId));
    }

    private Task<WsClient> ResumeAsync(string resumeToken, string? token)
        => WsClient.ConnectAsync(_server.WsUriFor("/ws?" + (token is null ? "" : $"token={Uri.EscapeDataString(token)}&") + $"resume={Uri.EscapeDataString(resumeToken)}"));

    private static string ResumeToken(WsClient client) => client.Connected.GetProperty("data").GetProperty("resumeToken").GetString()!;

    private static Task<GatewayServer> StartAsync(string window) => GatewayServer.StartAsync(Tokens.Settings(new Dictionary<string, string>
    {
        ["Realtime:Gateway:RateLimitPerSecond"] = "0",
        ["Realtime:Clients:ResumeWindow"] = window,
    }));
}
