using System.Text.Json;

namespace Realtime.Gateway.Tests;

/// <summary>Room authorizers, publish policies and presence visibility, enforced at the server (see <see cref="AuthFixture"/>).</summary>
[Collection(AuthCollection.Name)]
public sealed class AccessControlTests(AuthFixture fixture) : LogCheckedTest
{
    private GatewayServer Server => fixture.Server;

    protected override LogCapture Logs => Server.Logs;

    private Task<WsClient> ConnectAsync(string user, object? team = null, object? role = null)
    {
        var claims = new Dictionary<string, object>();
        if (team is not null)
        {
            claims["team"] = team;
        }

        if (role is not null)
        {
            claims["role"] = role;
        }

        return Server.ConnectWithTokenAsync(Tokens.Create(user, claims: claims));
    }

    private static string Unique(string category) => $"{category}:{Guid.NewGuid():N}";

    [Fact]
    public async Task AuthorizerLetsInTheTeamAndKeepsOthersOutOfEverything()
    {
        var teamId = Guid.NewGuid().ToString("N");
        var room = "team:" + teamId;
        await using var member = await ConnectAsync("ann", team: teamId);
        await using var outsider = await ConnectAsync("ben", team: "other");
        await member.JoinAsync(room);
        await member.PublishAsync(room, new { text = "team only" }, echo: true);

        var join = await outsider.RequestAsync("system", "joinRoom", new { roomName = room, since = 0 });
        var presence = await outsider.RequestAsync("system", "presence", new { roomName = room });
        var publish = await outsider.RequestAsync("system", "publish", new { roomName = room, type = "chat", action = "m", data = new { } });
        await member.PublishAsync(room, new { text = "second" }, echo: true);
        var open = TestIds.Room();
        await outsider.JoinAsync(open);
        await member.JoinAsync(open);
        await member.PublishAsync(open, new { text = "marker" });

        join.AssertError("FORBIDDEN");
        Assert.False(join.TryGetProperty("data", out _), "a refused join carries no history");
        presence.AssertError("FORBIDDEN");
        publish.AssertError("FORBIDDEN");
        Assert.Equal("marker", (await outsider.NextPushAsync("the outsider's first push: nothing of the team room")).Text());
    }

    [Fact]
    public async Task RecoveryAsksTheAuthorizerAgain()
    {
        var room = Unique("norecover");
        await using var client = await ConnectAsync("cat");
        var epoch = (await client.JoinAsync(room)).GetProperty("epoch").GetString();
        await client.PublishAsync(room, new { text = "m1" });

        var recovery = await client.RequestAsync("system", "joinRoom", new { roomName = room, since = 0, epoch });

        recovery.AssertError("FORBIDDEN");
    }

    [Fact]
    public async Task RoomsThatTakeNoClientPublishesRefuseEvenMembers()
    {
        var room = Unique("announce");
        await using var member = await ConnectAsync("dan");
        await member.JoinAsync(room);

        var reply = await member.RequestAsync("system", "publish", new { roomName = room, type = "chat", action = "m", data = new { } });

        reply.AssertError("FORBIDDEN");
    }

    [Fact]
    public async Task PublishAuthorizerDecidesForMembersAndNonMembersAlike()
    {
        var room = Unique("moderated");
        await using var moderator = await ConnectAsync("mod", role: "moderator");
        await using var member = await ConnectAsync("ed");
        await member.JoinAsync(room);

        var byModerator = await moderator.RequestAsync("system", "publish", new { roomName = room, type = "chat", action = "notice", data = new { text = "rules" } });
        var byMember = await member.RequestAsync("system", "publish", new { roomName = room, type = "chat", action = "m", data = new { } });
        var push = await member.NextPushAsync("the moderator's notice");

        Assert.True(byModerator.GetProperty("ok").GetBoolean());
        byMember.AssertError("FORBIDDEN");
        Assert.Equal("rules", push.Text());
        Assert.Equal("mod", push.GetProperty("from").GetProperty("userId").GetString());
    }

    [Fact]
    public async Task PresenceOfADefaultRoomIsForMembersOnly()
    {
        var room = TestIds.Room();
        await using var member = await ConnectAsync("fay");
        await using var stranger = await ConnectAsync("gus");
        await member.JoinAsync(room);

        var byMember = await member.RequestAsync("system", "presence", new { roomName = room });
        var byStranger = await stranger.RequestAsync("system", "presence", new { roomName = room });

        Assert.Equal("fay", byMember.GetProperty("data").GetProperty("members")[0].GetProperty("userId").GetString());
        byStranger.AssertError("FORBIDDEN");
    }

    [Fact]
    public async Task SecretRoomsShowTheirMembersToNobody()
    {
        var room = Unique("secret");
        await using var member = await ConnectAsync("hal");
        await member.JoinAsync(room);

        (await member.RequestAsync("system", "presence", new { roomName = room })).AssertError("FORBIDDEN");
    }

    [Fact]
    public async Task LobbyShowsAnyoneItsMembersWithTheExposedMetadataOnly()
    {
        var room = Unique("lobby");
        await using var member = await ConnectAsync("ida");
        await using var stranger = await ConnectAsync("jon");
        await member.RequestAsync("system", "setMetadata", new { key = "name", value = "Ida" });
        await member.RequestAsync("system", "setMetadata", new { key = "email", value = "ida@example.test" });
        await member.JoinAsync(room);
        await member.RequestAsync("system", "setMetadata", new { key = "name", value = "Ida L." });

        var reply = await stranger.RequestAsync("system", "presence", new { roomName = room });

        var shown = reply.GetProperty("data").GetProperty("members")[0];
        Assert.Equal("ida", shown.GetProperty("userId").GetString());
        Assert.Equal("Ida L.", shown.GetProperty("metadata").GetProperty("name").GetString());
        Assert.False(shown.GetProperty("metadata").TryGetProperty("email", out _));
    }

    [Fact]
    public async Task AUserWithSeveralConnectionsJoinsOnceIsUpdatedInBetweenAndLeavesOnce()
    {
        var room = Unique("lobby");
        await using var watcher = await ConnectAsync("kai");
        await watcher.JoinAsync(room);
        var phone = await ConnectAsync("liz");
        var laptop = await ConnectAsync("liz");

        await phone.JoinAsync(room);
        var joined = await watcher.NextPushAsync("liz's join");
        await laptop.JoinAsync(room);
        var secondConnection = await watcher.NextPushAsync("liz's second connection: an update");
        await phone.RequestAsync("system", "leaveRoom", new { roomName = room });
        var firstGone = await watcher.NextPushAsync("liz's first connection leaving: an update");
        await laptop.DisposeAsync();
        var left = await watcher.NextPushAsync("liz's leave, when her last connection went");
        await phone.DisposeAsync();

        static string Read(JsonElement push) => string.Join(' ', [
            push.GetProperty("action").GetString(),
            push.GetProperty("data").GetProperty("userId").GetString(),
            .. push.GetProperty("data").GetProperty("connections").EnumerateArray().Select(c => c.GetString())]);
        Assert.Equal($"join liz {phone.ClientId}", Read(joined));
        Assert.Equal($"update liz {phone.ClientId} {laptop.ClientId}", Read(secondConnection));
        Assert.Equal($"update liz {laptop.ClientId}", Read(firstGone));
        Assert.Equal("leave liz", Read(left));
    }

    [Fact]
    public async Task FromCarriesTheUserOfTheToken()
    {
        var room = TestIds.Room();
        await using var sender = await ConnectAsync("nia");
        await using var receiver = await ConnectAsync("oto");
        await sender.JoinAsync(room);
        await receiver.JoinAsync(room);

        await sender.SendTextAsync(JsonSerializer.Serialize(new { type = "system", action = "publish", data = new { roomName = room, type = "chat", action = "m", data = new { userId = "admin" }, from = new { userId = "admin" } } }));
        var push = await receiver.NextPushAsync("the push");

        Assert.Equal("nia", push.GetProperty("from").GetProperty("userId").GetString());
    }
}
