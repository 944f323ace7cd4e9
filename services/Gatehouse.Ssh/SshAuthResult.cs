namespace Gatehouse.Ssh;

/// <summary>Names of the user authentication methods (RFC 4252, RFC 4256).</summary>
public static class SshAuthMethods
{
    public const string PublicKey = "publickey";
    public const string KeyboardInteractive = "keyboard-interactive";
    public const string Password = "password";
}

public enum SshAuthOutcome
{
    Failure,
    PartialSuccess,
    Success,
}

/// <summary>
/// A handler's verdict on one authentication step. Partial success accepts the step but requires
/// one of <see cref="RemainingMethods"/> next, which is how publickey + TOTP is enforced.
/// </summary>
public sealed record SshAuthResult(SshAuthOutcome Outcome, IReadOnlyList<string>? RemainingMethods = null)
{
    /// <summary>Shown to the user with a failure (as a banner, RFC 4252 §5.4), e.g. why they were refused.</summary>
    public string? Message { get; private init; }

    public static SshAuthResult Success { get; } = new(SshAuthOutcome.Success);

    public static SshAuthResult Failure { get; } = new(SshAuthOutcome.Failure);

    public static SshAuthResult Partial(params string[] remainingMethods)
    {
        if (remainingMethods.Length == 0) throw new ArgumentException("Partial success must name the methods still required", nameof(remainingMethods));
        return new(SshAuthOutcome.PartialSuccess, remainingMethods);
    }

    /// <summary>A failure the user is told about: <paramref name="message"/> is sent as a banner before the failure.</summary>
    public static SshAuthResult Refused(string message) => new(SshAuthOutcome.Failure) { Message = message };

    /// <summary>A failure that also narrows which methods the client may still try.</summary>
    public static SshAuthResult FailureAllowing(params string[] methods) => new(SshAuthOutcome.Failure, methods);
}

/// <summary>One prompt of a keyboard-interactive round (RFC 4256).</summary>
public sealed record SshPrompt(string Text, bool Echo);

/// <summary>Either another round of prompts or the final verdict of keyboard-interactive.</summary>
public sealed record SshKeyboardInteractiveStep
{
    private SshKeyboardInteractiveStep()
    {
    }

    public string Name { get; private init; } = "";

    public string Instruction { get; private init; } = "";

    public IReadOnlyList<SshPrompt> Prompts { get; private init; } = [];

    public SshAuthResult? Result { get; private init; }

    public static SshKeyboardInteractiveStep Ask(string name, string instruction, params SshPrompt[] prompts) =>
        new() { Name = name, Instruction = instruction, Prompts = prompts };

    public static SshKeyboardInteractiveStep Finish(SshAuthResult result) => new() { Result = result };
}
