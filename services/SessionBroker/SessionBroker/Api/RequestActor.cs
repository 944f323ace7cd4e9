namespace Gatehouse.SessionBroker.Api;

public static class RequestActor
{
    /// <summary>The signed-in operator behind an admin request (the token's subject).</summary>
    public static string Of(HttpContext http) =>
        http.User.Identity?.Name ?? throw new InvalidOperationException("An authenticated request carries a subject");
}
