namespace Gatehouse.WebConsole.SigningIn;

/// <summary>Who signed in, as the console keeps them on the server: the API token never leaves it.</summary>
public sealed record SignedInPerson(string Name, IReadOnlyList<string> Roles, string ApiToken, DateTimeOffset TokenExpiresAt);

/// <summary>The answer of a sign-in method: the person, or why not (said to the person as it is).</summary>
public sealed record SignInAttempt(SignedInPerson? Person, string? Refusal)
{
    public static SignInAttempt Accepted(SignedInPerson person) => new(person, null);

    public static SignInAttempt Refused(string reason) => new(null, reason);
}

/// <summary>
/// A way to sign in to the console that ends with an API token of the person's own. Password and code is the first;
/// single sign-on comes as another implementation, and the pages after sign-in depend only on <see cref="SignedInPerson"/>.
/// </summary>
public interface IPasswordSignIn
{
    Task<SignInAttempt> SignInAsync(string userName, string password, string? code, CancellationToken cancellationToken);
}
