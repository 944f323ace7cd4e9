using System.Diagnostics;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.TestSupport;

/// <summary>
/// Fuzz-style probing of a real service's HTTP API: every endpoint of its route table, every route and query parameter
/// (read from the handler's signature), and for endpoints that take a body, JSON bodies with hostile strings. Nothing
/// may answer 5xx; the values the shared input guard refuses must answer 400 naming the parameter.
/// </summary>
public static class HostileInput
{
    /// <summary>A hostile value as it goes into a URL (already percent-encoded where it must be).</summary>
    public sealed record Value(string Name, string Encoded, bool RefusedEverywhere = false);

    public sealed record Endpoint(string Method, string Template, IReadOnlyList<(string Name, string? Constraint)> RouteParameters,
        IReadOnlyList<string> QueryParameters)
    {
        /// <summary>A change may only be probed with values refused before the endpoint runs, so nothing can be stored.</summary>
        public bool Changes => Method is not ("GET" or "HEAD");

        public override string ToString() => QueryParameters.Count == 0 ? $"{Method} {Template}" : $"{Method} {Template}?{string.Join("&", QueryParameters)}";
    }

    public sealed record Report(int Requests, TimeSpan Took, IReadOnlyList<string> Failures, IReadOnlyList<Endpoint> Endpoints);

    public static readonly IReadOnlyList<Value> Values =
    [
        new("NUL bytes", "%00%00%00", RefusedEverywhere: true),
        new("a NUL inside a name", "alice%00admin", RefusedEverywhere: true),
        new("terminal escapes and DEL", "%1B%5B2J%07%7F", RefusedEverywhere: true),
        new("a line break", "alice%0D%0Aforged: yes", RefusedEverywhere: true),
        new("100 KB", new string('A', 100 * 1024)),
        new("invalid UTF-8", "%C3%28"),
        new("lone 0xFF bytes", "%FF%FE"),
        new("an encoded surrogate", "%ED%A0%80"),
        new("a negative number", "-1"),
        new("a huge number", "99999999999999999999999999999"),
        new("below long.MinValue", "-9223372036854775809"),
        new("a malformed date", "2026-02-30T25:61:00Z"),
        new("SQL", "'%20OR%20'1'%3D'1'%3B%20DROP%20TABLE%20x%3B--"),
        new("LIKE and regex metacharacters", "%25_%5C.*(a%2B)%2B%24%5B%5E"),
        new("path traversal", "..%2F..%2F..%2Fetc%2Fpasswd"),
        new("a right-to-left override", "%E2%80%AEgnp.exe"),
        new("a zero-width space", "ad%E2%80%8Bmin"),
        new("empty", ""),
    ];

    /// <summary>Hostile JSON bodies; each holds a string the input guard refuses wherever it appears.</summary>
    public static readonly IReadOnlyList<(string Name, byte[] Body)> Bodies =
    [
        ("a NUL in a string", Encoding.UTF8.GetBytes("""{"name":"alice\u0000","reason":"x","labels":{"env":"prod"}}""")),
        ("a NUL deep inside", Encoding.UTF8.GetBytes("""{"name":"db01","labels":{"env":"pr\u0000od"},"logins":["root","\u0000"]}""")),
        ("terminal escapes", Encoding.UTF8.GetBytes("""{"reason":"\u001b]0;owned\u0007","note":"\u001b[2J"}""")),
        ("a lone surrogate", Encoding.UTF8.GetBytes("""{"name":"\ud800"}""")),
        ("invalid UTF-8", [.. Encoding.UTF8.GetBytes("""{"name":"a"""), 0xFF, 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}")]),
        ("a NUL in a property name", Encoding.UTF8.GetBytes("""{"na\u0000me":"x"}""")),
    ];

    /// <summary>Every endpoint of the service's route table, with the route and query parameters its handler takes.</summary>
    public static IReadOnlyList<Endpoint> Endpoints(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(method =>
            {
                var route = e.RoutePattern.Parameters
                    .Select(p => (p.Name, p.ParameterPolicies.Select(c => c.Content).FirstOrDefault())).ToList();
                var query = e.Metadata.GetMetadata<MethodInfo>() is { } handler
                    ? QueryParameters(handler).Where(q => route.All(r => !string.Equals(r.Name, q, StringComparison.OrdinalIgnoreCase))).Distinct().ToList()
                    : [];
                return new Endpoint(method, "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'), route, query);
            }))
            .OrderBy(e => e.Template, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Sends every hostile value in every parameter of every endpoint, and every hostile body to every endpoint that
    /// changes something. Stops (and says so) when <paramref name="budget"/> is spent.
    /// </summary>
    public static async Task<Report> ProbeAsync(HttpClient client, IServiceProvider services, TimeSpan budget)
    {
        var endpoints = Endpoints(services);
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        var requests = 0;
        foreach (var endpoint in endpoints)
        {
            var values = endpoint.Changes ? Values.Where(v => v.RefusedEverywhere).ToList() : Values;
            foreach (var value in values)
            {
                foreach (var (name, _) in endpoint.RouteParameters)
                {
                    await SendAsync(endpoint, Path(endpoint, name, value.Encoded), name, value, requireRefusal: false);
                }

                foreach (var name in endpoint.QueryParameters)
                {
                    await SendAsync(endpoint, $"{Path(endpoint, null, null)}?{name}={value.Encoded}", name, value, value.RefusedEverywhere);
                }
            }

            if (endpoint.Changes)
            {
                foreach (var (name, body) in Bodies)
                {
                    using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), Path(endpoint, null, null))
                    {
                        Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } },
                    };
                    await CheckAsync(endpoint, request, $"body with {name}", requireRefusal: true, field: null);
                }
            }
        }

        return new Report(requests, clock.Elapsed, failures, endpoints);

        async Task SendAsync(Endpoint endpoint, string url, string parameter, Value value, bool requireRefusal)
        {
            using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), new Uri(url, UriKind.Relative));
            await CheckAsync(endpoint, request, $"{parameter}={value.Name}", requireRefusal, parameter);
        }

        async Task CheckAsync(Endpoint endpoint, HttpRequestMessage request, string what, bool requireRefusal, string? field)
        {
            if (clock.Elapsed > budget)
            {
                throw new TimeoutException($"The probe spent its {budget} after {requests} requests, at {endpoint} with {what}");
            }

            requests++;
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request);
            }
            catch (InvalidOperationException e) when (e.Message.Contains("null characters", StringComparison.Ordinal))
            {
                // A NUL in the path: the server's own URL decoder refuses it (Kestrel answers 400) before the app runs.
                return;
            }

            using var _ = response;
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync();
            if (status >= 500)
            {
                failures.Add($"{endpoint.Method} {endpoint.Template} with {what}: {status} {Shorten(body)}");
            }
            else if (requireRefusal && (status is < 400 or 415
                         || (status == 400 && (!body.Contains("\"errors\"") || (field is not null && !body.Contains($"\"{field}\""))))))
            {
                // Refused another way first (no such route, not this caller's role) is refused too; accepted, or refused
                // for the wrong reason, is not.
                failures.Add($"{endpoint.Method} {endpoint.Template} with {what}: expected a 400 naming {field ?? "the body field"}, got {status} {Shorten(body)}");
            }
        }
    }

    private static string Path(Endpoint endpoint, string? fuzzed, string? value)
    {
        var path = endpoint.Template;
        foreach (var (name, constraint) in endpoint.RouteParameters)
        {
            var placeholder = name == fuzzed ? value! : Placeholder(constraint);
            path = System.Text.RegularExpressions.Regex.Replace(path, "\\{\\*{0,2}" + name + "(:[^}]*)?\\??\\}", placeholder.Replace("$", "$$"));
        }

        return path;
    }

    /// <summary>A value that satisfies the route constraint and names nothing that exists.</summary>
    private static string Placeholder(string? constraint) => constraint switch
    {
        "guid" => Guid.NewGuid().ToString(),
        "int" or "long" => "987654321",
        _ => "fuzz-nothing-here",
    };

    private static IEnumerable<string> QueryParameters(MethodInfo handler)
    {
        foreach (var parameter in handler.GetParameters())
        {
            if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                foreach (var property in parameter.ParameterType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                {
                    if (IsSimple(property.PropertyType) && property.GetCustomAttribute<FromQueryAttribute>() is { } fromQuery)
                    {
                        yield return fromQuery.Name ?? property.Name;
                    }
                }
            }
            else if (IsSimple(parameter.ParameterType) && parameter.GetCustomAttributes().All(a => a is FromQueryAttribute
                         || a.GetType().Namespace?.StartsWith("System.Runtime", StringComparison.Ordinal) == true))
            {
                yield return parameter.GetCustomAttribute<FromQueryAttribute>()?.Name ?? parameter.Name!;
            }
        }
    }

    /// <summary>What minimal APIs bind from the query string: text, numbers, times, ids, enums, and lists of them.</summary>
    private static bool IsSimple(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray)
        {
            return IsSimple(type.GetElementType()!);
        }

        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTimeOffset)
            || type == typeof(DateTime) || type == typeof(DateOnly) || type == typeof(TimeOnly) || type == typeof(TimeSpan) || type == typeof(Guid);
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
