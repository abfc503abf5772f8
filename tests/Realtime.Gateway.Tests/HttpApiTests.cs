using System.Net;
using System.Net.WebSockets;
using System.Text.Json;

namespace Realtime.Gateway.Tests;

/// <summary>The HTTP publish API: credentials, bad bodies, and every operation reaching real sockets.</summary>
[Collection(AuthCollection.Name)]
public sealed class HttpApiTests(AuthFixture fixture) : LogCheckedTest
{
    private GatewayServer Server => fixture.Server;

    protected override LogCapture Logs => Server.Logs;

    private Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string operation, string json, string? apiKey = AuthFixture.ApiKey, string? bearer = null, string contentType = "application/json")
        => fixture.PostApiAsync(operation, json, apiKey, bearer, contentType);

    private Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string operation, object body, string? apiKey = AuthFixture.ApiKey, string? bearer = null)
        => PostAsync(operation, JsonSerializer.Serialize(body), apiKey, bearer);

    private Task<WsClient> ConnectAsync(string? user = null) => Server.ConnectWithTokenAsync(Tokens.Create(user ?? TestIds.User()));

    [Fact]
    public async Task WithoutCredentialsTheApiAnswers401()
    {
        var (status, body) = await PostAsync("send-to-all", new { type = "t", action = "a" }, apiKey: null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("X-Api-Key", body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongKeyIs401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync("send-to-all", new { type = "t", action = "a" }, apiKey: "not-the-key-at-all-123")).Status);
    }

    [Fact]
    public async Task ATokenNeedsTheApiRole()
    {
        var withoutRole = Tokens.Create("backend", claims: new Dictionary<string, object> { ["role"] = "user" });
        var withRole = Tokens.Create("backend", claims: new Dictionary<string, object> { ["role"] = "realtime-api" });
        var expired = Tokens.Create("backend", expiresIn: TimeSpan.FromMinutes(-1), claims: new Dictionary<string, object> { ["role"] = "realtime-api" });

        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync("send-to-all", new { type = "t", action = "a" }, apiKey: null, bearer: withoutRole)).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("send-to-all", new { type = "t", action = "a" }, apiKey: null, bearer: withRole)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync("send-to-all", new { type = "t", action = "a" }, apiKey: null, bearer: expired)).Status);
    }

    [Theory]
    [InlineData("send-to-room", "{oops", "not a valid send-to-room request")]
    [InlineData("send-to-room", "[1,2]", "not a valid send-to-room request")]
    [InlineData("send-to-room", "null", "the body must be a JSON object")]
    [InlineData("send-to-room", """{"type":"t","action":"a"}""", "room is required")]
    [InlineData("send-to-room", """{"room":" ","type":"t","action":"a"}""", "room is required: 1 to")]
    [InlineData("send-to-room", """{"room":"r:1","action":"a"}""", "type is required")]
    [InlineData("send-to-room", """{"room":"r:1","type":"system","action":"a"}""", "reserved")]
    [InlineData("send-to-users", """{"type":"t","action":"a","users":[]}""", "users is required")]
    [InlineData("disconnect", """{"clientId":"c","userId":"u"}""", "give clientId or userId")]
    [InlineData("disconnect", """{"clientId":"c","code":1006}""", "code must be")]
    [InlineData("send-to-room", """{"room":"r:1","type":"t","action":"a","exclude":"nope"}""", "not a valid send-to-room request")]
    [InlineData("invoke-client", """{"type":"t","action":"a"}""", "clientId is required")]
    [InlineData("invoke-client", """{"clientId":"c","type":"t","action":"a","timeoutMs":0}""", "timeoutMs must be more than 0")]
    public async Task ABadBodyIs400WithWhatIsWrong(string operation, string json, string expected)
    {
        var (status, body) = await PostAsync(operation, json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABodyThatIsNotJsonIs415()
    {
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await PostAsync("send-to-all", "type=t", contentType: "application/x-www-form-urlencoded")).Status);
    }

    [Fact]
    public async Task SendsReachRoomsUsersClientsAllAndPaths()
    {
        var room = TestIds.Room();
        var user = TestIds.User();
        await using var member = await ConnectAsync();
        await using var device = await ConnectAsync(user);
        await using var onAlt = await Server.ConnectAsync("/ws/alt?token=" + Tokens.Create(TestIds.User()));
        await member.JoinAsync(room);

        var (roomStatus, roomBody) = await PostAsync("send-to-room", new { room, type = "api", action = "room", data = new { text = "room" } });
        await PostAsync("send-to-rooms", new { rooms = new[] { room }, type = "api", action = "rooms", data = new { text = "rooms" } });
        await PostAsync("send-to-users", new { users = new[] { user }, type = "api", action = "users", data = new { text = "user" } });
        await PostAsync("send-to-client", new { clientId = member.ClientId, type = "api", action = "client", data = new { text = "client" } });
        await PostAsync("send-to-path", new { path = "/ws/alt", type = "api", action = "path", data = new { text = "path" } });
        var marker = Guid.NewGuid().ToString("N");
        await PostAsync("send-to-all", new { type = "api", action = "all", data = new { text = marker } });

        Assert.Equal(HttpStatusCode.OK, roomStatus);
        Assert.Equal(1, roomBody.GetProperty("seq").GetInt64());
        var received = new List<string?> { (await member.NextPushAsync("room")).Text(), (await member.NextPushAsync("rooms")).Text(), (await member.NextPushAsync("client")).Text() };
        Assert.Equal(new List<string?> { "room", "rooms", "client" }, received);
        Assert.Equal("user", (await device.NextPushAsync("the user's push")).Text());
        Assert.Equal("path", (await onAlt.NextPushAsync("the path's push")).Text());
        foreach (var client in new[] { member, device, onAlt })
        {
            await client.WaitForPushAsync(p => p.Text() == marker, "the push to all");
        }
    }

    [Fact]
    public async Task ConnectionsCanBeManagedAndQueried()
    {
        var room = TestIds.Room();
        var user = TestIds.User();
        await using var client = await ConnectAsync(user);
        await using var other = await ConnectAsync();

        var joined = await PostAsync("join-room", new { clientId = client.ClientId, room });
        var roomJoined = await client.NextPushAsync("the roomJoined push");
        var members = await PostAsync("room-members", new { room });
        var online = await PostAsync("online-users", new { users = new[] { user, "nobody-" + user } });
        var tagged = await PostAsync("client-metadata", new { clientId = client.ClientId, metadata = new Dictionary<string, string?> { ["plan"] = "pro" } });
        var info = await PostAsync("client", new { clientId = client.ClientId });
        var left = await PostAsync("leave-room", new { clientId = client.ClientId, room });
        var roomLeft = await client.NextPushAsync("the roomLeft push");
        var missing = await PostAsync("client", new { clientId = "c_nobody" });
        var kicked = await PostAsync("disconnect", new { userId = user, code = 4000, reason = "bye" });
        var closed = await client.WaitForCloseAsync("the disconnect");
        var published = await PostAsync("publish-event", new { channel = "orders.created", payload = new { id = 7 } });

        Assert.Equal(HttpStatusCode.OK, joined.Status);
        Assert.Equal("roomJoined", roomJoined.GetProperty("action").GetString());
        Assert.Equal(1, members.Body.GetProperty("count").GetInt32());
        Assert.Equal(client.ClientId, members.Body.GetProperty("members")[0].GetProperty("clientId").GetString());
        Assert.Equal([user], online.Body.GetProperty("online").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(HttpStatusCode.OK, tagged.Status);
        Assert.Equal("pro", info.Body.GetProperty("metadata").GetProperty("plan").GetString());
        Assert.Equal(["user:" + user, room], info.Body.GetProperty("rooms").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(HttpStatusCode.OK, left.Status);
        Assert.Equal("roomLeft", roomLeft.GetProperty("action").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal(HttpStatusCode.OK, kicked.Status);
        Assert.Equal((WebSocketCloseStatus)4000, closed);
        Assert.Equal(32, published.Body.GetProperty("id").GetString()!.Length);
        Assert.Equal(WebSocketState.Open, other.State);
    }

    [Fact]
    public async Task InvokeClientAnswersWithTheClientsDataOrItsRefusalOrWhyThereIsNone()
    {
        await using var client = await ConnectAsync();

        var answered = PostAsync("invoke-client", new { clientId = client.ClientId, type = "api", action = "ask", data = new { n = 1 }, timeoutMs = 20000 });
        await client.AnswerAsync(await client.NextRequestAsync("the first request"), new { n = 2 });
        var refused = PostAsync("invoke-client", new { clientId = client.ClientId, type = "api", action = "ask" });
        await client.RefuseAsync(await client.NextRequestAsync("the second request"), "NOPE", "not now");
        var (answerStatus, answerBody) = await answered;
        var (refusedStatus, refusedBody) = await refused;
        var (goneStatus, goneBody) = await PostAsync("invoke-client", new { clientId = "c_nobody", type = "api", action = "ask" });
        var (lateStatus, lateBody) = await PostAsync("invoke-client", new { clientId = client.ClientId, type = "api", action = "ask", timeoutMs = 200 });

        Assert.Equal((HttpStatusCode.OK, 2), (answerStatus, answerBody.GetProperty("data").GetProperty("n").GetInt32()));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "NOPE", "not now"), (refusedStatus, refusedBody.GetProperty("code").GetString(), refusedBody.GetProperty("error").GetString()));
        Assert.Equal((HttpStatusCode.NotFound, "NOT_CONNECTED"), (goneStatus, goneBody.GetProperty("code").GetString()));
        Assert.Equal((HttpStatusCode.GatewayTimeout, "TIMEOUT"), (lateStatus, lateBody.GetProperty("code").GetString()));
    }
}
