using Microsoft.Extensions.DependencyInjection;
using Realtime.Api;

namespace Realtime.Gateway.Tests;

/// <summary>
/// Every authenticated connection is in its user's room, <c>user:&lt;userId&gt;</c>: pushes to the user
/// are that room's broadcasts, sequenced and kept, and recovered with <c>since</c> as any room's.
/// </summary>
public sealed class UserRoomTests : IAsyncLifetime
{
    private GatewayServer _server = null!;

    private IRealtime Realtime => _server.Services.GetRequiredService<IRealtime>();

    public async Task InitializeAsync() => _server = await StartAsync(new Dictionary<string, string>());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AnAuthenticatedConnectionIsInItsUsersRoomFromTheStartAndAnAnonymousOneIsNot()
    {
        var user = TestIds.User();
        await using var client = await _server.ConnectWithTokenAsync(Tokens.Create(user));
        await using var anonymous = await _server.ConnectAsync();

        var joined = await client.UserRoomJoined();
        var info = await Realtime.GetClientAsync(anonymous.ClientId);

        Assert.Equal("user:" + user, joined.GetProperty("room").GetString());
        Assert.Equal(0, joined.GetProperty("data").GetProperty("seq").GetInt64());
        Assert.False(string.IsNullOrEmpty(joined.GetProperty("data").GetProperty("epoch").GetString()));
        Assert.Empty(info!.Rooms);
        var members = await Realtime.GetRoomMembersAsync("user:" + user);
        Assert.Equal([client.ClientId], members.Select(m => m.ClientId));
    }

    [Fact]
    public async Task PushesToAUserAreSequencedOnEachOfTheirConnections()
    {
        var user = TestIds.User();
        await using var phone = await _server.ConnectWithTokenAsync(Tokens.Create(user));
        await using var laptop = await _server.ConnectWithTokenAsync(Tokens.Create(user));
        await laptop.UserRoomJoined();
        await phone.UserRoomJoined();

        await Realtime.SendToUserAsync(user, "note", "new", new { text = "one" });
        await Realtime.SendToUsersAsync([user, TestIds.User()], RealtimePush.Create("note", "new", new { text = "two" }));

        foreach (var device in new[] { phone, laptop })
        {
            var first = await device.NextPushAsync("the first push to the user");
            var second = await device.NextPushAsync("the second push to the user");
            Assert.Equal(("user:" + user, 1L, "one"), (first.GetProperty("room").GetString(), first.Seq(), first.Text()));
            Assert.Equal((2L, "two"), (second.Seq(), second.Text()));
        }
    }

    [Fact]
    public async Task AUserWhoWasOfflineRecoversWhatWasSentMeanwhile()
    {
        var user = TestIds.User();
        await Realtime.SendToUserAsync(user, "note", "new", new { text = "while away 1" });
        await Realtime.SendToUserAsync(user, "note", "new", new { text = "while away 2" });

        await using var client = await _server.ConnectWithTokenAsync(Tokens.Create(user));
        var joined = await client.UserRoomJoined();
        var recovery = await client.JoinAsync("user:" + user, since: 0);

        Assert.Equal(2, joined.GetProperty("data").GetProperty("seq").GetInt64());
        Assert.True(recovery.GetProperty("recovered").GetBoolean());
        Assert.Equal(["while away 1", "while away 2"], recovery.GetProperty("missed").EnumerateArray().Select(m => m.Text()));
    }

    [Fact]
    public async Task APushDuringADropIsRecoveredOnTheNextConnectionAndExcludesStillHold()
    {
        var user = TestIds.User();
        string epoch;
        string droppedId;
        await using (var first = await _server.ConnectWithTokenAsync(Tokens.Create(user)))
        {
            epoch = (await first.UserRoomJoined()).GetProperty("data").GetProperty("epoch").GetString()!;
            droppedId = first.ClientId;
            await first.AbortAsync();
        }

        await using var other = await _server.ConnectWithTokenAsync(Tokens.Create(user));
        await other.UserRoomJoined();
        await Realtime.SendToUserAsync(user, "note", "new", new { text = "for everyone" });
        await Realtime.SendToUserAsync(user, "note", "new", new { text = "not for the other" }, new SendOptions { Exclude = [other.ClientId] });

        await using var back = await _server.ConnectWithTokenAsync(Tokens.Create(user));
        await back.UserRoomJoined();
        var recovery = await back.JoinAsync("user:" + user, since: 0, epoch: epoch);
        var othersRecovery = await other.JoinAsync("user:" + user, since: 0, epoch: epoch);

        Assert.NotEqual(droppedId, back.ClientId);
        Assert.True(recovery.GetProperty("recovered").GetBoolean());
        Assert.Equal(["for everyone", "not for the other"], recovery.GetProperty("missed").EnumerateArray().Select(m => m.Text()));
        Assert.Equal(["for everyone"], othersRecovery.GetProperty("missed").EnumerateArray().Select(m => m.Text()));
    }

    [Fact]
    public async Task BeyondTheUsersHistoryARecoveryIsNotRecovered()
    {
        await using var server = await StartAsync(new Dictionary<string, string> { ["Realtime:Users:HistorySize"] = "2" });
        var realtime = server.Services.GetRequiredService<IRealtime>();
        var user = TestIds.User();
        for (var i = 1; i <= 4; i++)
        {
            await realtime.SendToUserAsync(user, "note", "new", new { text = $"n{i}" });
        }

        await using var client = await server.ConnectWithTokenAsync(Tokens.Create(user));
        await client.UserRoomJoined();
        var recovery = await client.JoinAsync("user:" + user, since: 0);

        Assert.False(recovery.GetProperty("recovered").GetBoolean());
        Assert.Equal(["n3", "n4"], recovery.GetProperty("missed").EnumerateArray().Select(m => m.Text()));
    }

    [Fact]
    public async Task OnlyItsOwnerMayJoinAUsersRoom()
    {
        var (owner, intruder) = (TestIds.User(), TestIds.User());
        await using var client = await _server.ConnectWithTokenAsync(Tokens.Create(intruder));
        await using var anonymous = await _server.ConnectAsync();

        var byIntruder = await client.RequestAsync("system", "joinRoom", new { roomName = "user:" + owner, since = 0 });
        var byAnonymous = await anonymous.RequestAsync("system", "joinRoom", new { roomName = "user:" + owner });

        byIntruder.AssertError("FORBIDDEN");
        byAnonymous.AssertError("FORBIDDEN");
        Assert.Contains("'user'", byIntruder.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARoomOfItsOwnDoesNotCountTowardTheRoomLimitNorIsLeftForAnother()
    {
        await using var server = await StartAsync(new Dictionary<string, string> { ["Realtime:Clients:ClientCanJoinMultipleRooms"] = "false" });
        var realtime = server.Services.GetRequiredService<IRealtime>();
        var user = TestIds.User();
        await using var client = await server.ConnectWithTokenAsync(Tokens.Create(user));
        await client.UserRoomJoined();

        var (first, second) = (TestIds.Room(), TestIds.Room());
        await client.JoinAsync(first);
        await client.JoinAsync(second);
        var info = await realtime.GetClientAsync(client.ClientId);
        await realtime.SendToUserAsync(user, "note", "new", new { text = "still here" });

        Assert.Equal(["user:" + user, second], info!.Rooms);
        Assert.Equal("still here", (await client.NextPushAsync("the push to the user")).Text());
    }

    [Fact]
    public async Task WithUserRoomsOffAPushToAUserIsUnsequencedAndNoRoomIsJoined()
    {
        await using var server = await StartAsync(new Dictionary<string, string> { ["Realtime:Users:Rooms"] = "false" });
        var realtime = server.Services.GetRequiredService<IRealtime>();
        var user = TestIds.User();
        await using var client = await server.ConnectWithTokenAsync(Tokens.Create(user));

        await realtime.SendToUserAsync(user, "note", "new", new { text = "direct" });
        var push = await client.NextPushAsync("the direct push");
        var info = await realtime.GetClientAsync(client.ClientId);

        Assert.Equal("direct", push.Text());
        Assert.False(push.TryGetProperty("seq", out _));
        Assert.Empty(info!.Rooms);
        Assert.False(client.UserRoomJoined().IsCompleted);
    }

    private static Task<GatewayServer> StartAsync(Dictionary<string, string> settings)
    {
        settings["Realtime:Auth:SigningKey"] = Tokens.Key;
        settings["Realtime:Auth:Issuer"] = Tokens.Issuer;
        settings["Realtime:Auth:Audience"] = Tokens.Audience;
        settings["Realtime:Auth:AllowAnonymous"] = "true";
        settings["Realtime:Gateway:RateLimitPerSecond"] = "0";
        return GatewayServer.StartAsync(settings);
    }
}
