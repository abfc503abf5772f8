using Microsoft.AspNetCore.Http;

namespace Realtime.Gateway.HttpApi;

internal static class HttpApiResults
{
    public static IResult Error(int status, string message, string? code = null)
        => Results.Json(new HttpApiError(message, code), statusCode: status);
}

/// <summary>The body of every error answer: what was wrong, and a protocol code when there is one.</summary>
internal sealed record HttpApiError(string Error, string? Code);
