using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace Realtime.Gateway.HttpApi;

internal static class HttpApiResults
{
    /// <summary>
    /// An error as RFC 9457 problem details (<c>application/problem+json</c>): <c>status</c>, <c>title</c> (the
    /// status's reason), <c>detail</c> (what was wrong), and the extensions <c>code</c> (a protocol code, when
    /// there is one) and <c>error</c> (the detail again, as the API answered before it spoke problem details).
    /// </summary>
    public static IResult Error(int status, string message, string? code = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = ReasonPhrases.GetReasonPhrase(status),
            Detail = message,
            Extensions = { ["error"] = message },
        };
        if (code is not null)
        {
            problem.Extensions["code"] = code;
        }

        return Results.Problem(problem);
    }
}
