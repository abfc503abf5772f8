using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Realtime.Gateway.Tests;

/// <summary>The HTTP API's errors as RFC 9457 problem details, its OpenAPI document and its room-history operation.</summary>
[Collection(AuthCollection.Name)]
public sealed class HttpApiProblemTests(AuthFixture fixture) : LogCheckedTest
{
    private static readonly HttpClient s_http = new();

    private GatewayServer Server => fixture.Server;

    protected override LogCapture Logs => Server.Logs;

    private async Task<(HttpStatusCode Status, string? ContentType, JsonElement Body)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(Server.HttpUri, path));
        request.Headers.Add("X-Api-Key", AuthFixture.ApiKey);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await s_http.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
    }

    [Fact]
    public async Task AnErrorIsProblemDetails()
    {
        var (status, contentType, body) = await SendAsync(HttpMethod.Post, "/api/send-to-room", """{"type":"t","action":"a"}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.Equal(400, body.GetProperty("status").GetInt32());
        Assert.Equal("Bad Request", body.GetProperty("title").GetString());
        Assert.Contains("room", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(body.GetProperty("detail").GetString(), body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AKnownOperationAskedWithAnotherMethodIs405()
    {
        var (status, contentType, _) = await SendAsync(HttpMethod.Get, "/api/send-to-room");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.Equal("application/problem+json", contentType);
    }

    [Theory]
    [InlineData("POST", "/api/no-such-operation")]
    [InlineData("GET", "/api/a/b")]
    public async Task AnUnknownOperationIsAProblemDetails404(string method, string path)
    {
        var (status, contentType, body) = await SendAsync(new HttpMethod(method), path, method == "POST" ? "{}" : null);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.Equal("NOT_FOUND", body.GetProperty("code").GetString());
        Assert.Contains("POST /api/<operation>", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOpenApiDocumentListsTheOperations()
    {
        using var response = await s_http.GetAsync(new Uri(Server.HttpUri, "/api/openapi/v1.json"));
        var document = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/send-to-room", paths);
        Assert.Contains("/api/room-history", paths);
        Assert.Contains("/api/invoke-client", paths);
        Assert.DoesNotContain(paths, p => p.Contains('{', StringComparison.Ordinal));
    }

    [Fact]
    public async Task RoomHistoryPagesThroughWhatARoomHolds()
    {
        var room = TestIds.Room("chat");
        for (var i = 1; i <= 3; i++)
        {
            var (sent, _, _) = await SendAsync(HttpMethod.Post, "/api/send-to-room", JsonSerializer.Serialize(new { room, type = "chat", action = "message", data = new { text = $"m{i}" } }));
            Assert.Equal(HttpStatusCode.OK, sent);
        }

        var (status, _, body) = await SendAsync(HttpMethod.Post, "/api/room-history", JsonSerializer.Serialize(new { room, since = 1, limit = 1 }));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, body.GetProperty("seq").GetInt64());
        Assert.True(body.GetProperty("complete").GetBoolean());
        var push = Assert.Single(body.GetProperty("pushes").EnumerateArray());
        Assert.Equal(2, push.Seq());
        Assert.Equal("m2", push.Text());
        Assert.Equal(room, push.GetProperty("room").GetString());

        var (bad, _, problem) = await SendAsync(HttpMethod.Post, "/api/room-history", JsonSerializer.Serialize(new { room, limit = 5000 }));
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Contains("limit", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
