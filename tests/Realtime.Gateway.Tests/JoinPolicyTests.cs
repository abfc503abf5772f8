using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Api;
using Realtime.Grains;

namespace Realtime.Gateway.Tests;

/// <summary>
/// The shipped gateway (its appsettings open <c>chat</c> to anyone), tokens or anonymous, and a
/// category per join policy. Nothing else is opened: rooms are closed by default.
/// </summary>
public sealed class JoinPolicyFixture : IAsyncLifetime
{
    public GatewayServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
        => Server = await GatewayServer.StartAsync(
            new Dictionary<string, string>
            {
                ["Realtime:Auth:SigningKey"] = Tokens.Key,
                ["Realtime:Auth:AllowAnonymous"] = "true",
                ["Realtime:Gateway:RateLimitPerSecond"] = "0",
                ["Realtime:Rooms:Categories:open:Join"] = "Anyone",
                ["Realtime:Rooms:Categories:members:Join"] = "authenticated",
                ["Realtime:Rooms:Categories:user:Join"] = "Owner",
                ["Realtime:Rooms:Categories:shut:Join"] = "Nobody",
                ["Realtime:Rooms:Categories:vip:Join"] = "Authenticated",
            },
            builder => builder.Services.AddRealtimeRooms(rooms => rooms
                .AuthorizeJoin("vip", context => context.User.HasClaim("vip", "yes"))
                .AuthorizeJoin("coded", context => context.User.HasClaim("coded", "yes"))),
            shippedRoomPolicies: true);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class JoinPolicyTests(JoinPolicyFixture fixture) : LogCheckedTest, IClassFixture<JoinPolicyFixture>
{
    private GatewayServer Server => fixture.Server;

    protected override LogCapture Logs => Server.Logs;

    public enum Who
    {
        Anonymous,
        Owner,
        OtherUser,
        ClaimedUser,
    }

    /// <summary>
    /// Each policy against each kind of connection, on a plain join and on a recovery (<c>since</c>).
    /// The owner is user <c>42</c>, and <c>user:42</c> is its room; the claimed user holds vip=yes and coded=yes.
    /// </summary>
    [Theory]
    [InlineData("open:lobby", Who.Anonymous, true)]
    [InlineData("open:lobby", Who.OtherUser, true)]
    [InlineData("chat:general", Who.Anonymous, true)]
    [InlineData("members:x", Who.Anonymous, false)]
    [InlineData("members:x", Who.OtherUser, true)]
    [InlineData("user:42", Who.Anonymous, false)]
    [InlineData("user:42", Who.OtherUser, false)]
    [InlineData("user:42", Who.ClaimedUser, false)]
    [InlineData("user:42", Who.Owner, true)]
    [InlineData("shut:x", Who.Anonymous, false)]
    [InlineData("shut:x", Who.Owner, false)]
    [InlineData("vip:x", Who.Anonymous, false)]
    [InlineData("vip:x", Who.OtherUser, false)]
    [InlineData("vip:x", Who.ClaimedUser, true)]
    [InlineData("coded:x", Who.OtherUser, false)]
    [InlineData("coded:x", Who.ClaimedUser, true)]
    [InlineData("unlisted:x", Who.Anonymous, false)]
    [InlineData("unlisted:x", Who.ClaimedUser, false)]
    [InlineData("nocategory", Who.Owner, false)]
    public async Task AJoinIsLetInOnlyWhenItsCategoryIsOpenedToThatConnection(string room, Who who, bool allowed)
    {
        await using var client = await ConnectAsync(who);

        var join = await client.RequestAsync("system", "joinRoom", new { roomName = room });
        var recovery = await client.RequestAsync("system", "joinRoom", new { roomName = room, since = 0 });

        foreach (var (what, reply) in new[] { ("join", join), ("recovery", recovery) })
        {
            if (allowed)
            {
                Assert.True(reply.GetProperty("ok").GetBoolean(), $"{what} of {room} by {who}: {reply}");
            }
            else
            {
                reply.AssertError("FORBIDDEN");
                var category = room.Contains(':', StringComparison.Ordinal) ? $"'{room[..room.IndexOf(':', StringComparison.Ordinal)]}'" : "without a category";
                Assert.Contains(category, reply.GetProperty("error").GetString(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task ARefreshedTokenThatMayNoLongerJoinARoomLeavesItButKeepsTheRoomsTheServerChose()
    {
        var vip = TestIds.Room("vip");
        var members = TestIds.Room("members");
        var chosen = TestIds.Room("shut");
        var user = TestIds.User();
        await using var client = await Server.ConnectWithTokenAsync(Tokens.Create(user, claims: new Dictionary<string, object> { ["vip"] = "yes" }));
        await client.JoinAsync(vip);
        await client.JoinAsync(members);
        var realtime = Server.Services.GetRequiredService<IRealtime>();
        await realtime.JoinRoomAsync(client.ClientId, chosen);
        await client.WaitForPushAsync(IsSystem("roomJoined", chosen), "the server's join");

        var refresh = await client.RequestAsync("system", "refreshToken", new { token = Tokens.Create(user) });

        Assert.True(refresh.GetProperty("ok").GetBoolean(), refresh.ToString());
        await client.WaitForPushAsync(IsSystem("roomLeft", vip), "roomLeft for the room the new token may not join");
        var vipMembers = await realtime.GetRoomMembersAsync(vip);
        var chosenMembers = await realtime.GetRoomMembersAsync(chosen);
        var stillIn = await realtime.GetRoomMembersAsync(members);
        Assert.DoesNotContain(vipMembers, m => m.ClientId == client.ClientId);
        Assert.Contains(chosenMembers, m => m.ClientId == client.ClientId);
        Assert.Contains(stillIn, m => m.ClientId == client.ClientId);
        await client.PublishAsync(members, new { text = "still a member" });
    }

    private static Func<JsonElement, bool> IsSystem(string action, string room)
        => push => push.GetProperty("type").GetString() == "system" && push.GetProperty("action").GetString() == action && push.GetProperty("room").GetString() == room;

    private Task<WsClient> ConnectAsync(Who who) => who switch
    {
        Who.Anonymous => Server.ConnectAsync(),
        Who.Owner => Server.ConnectWithTokenAsync(Tokens.Create("42")),
        Who.OtherUser => Server.ConnectWithTokenAsync(Tokens.Create("7")),
        _ => Server.ConnectWithTokenAsync(Tokens.Create("8", claims: new Dictionary<string, object> { ["vip"] = "yes", ["coded"] = "yes" })),
    };
}
