namespace Gatehouse.Contracts;

/// <summary>One thing wrong with a machine's security posture, with what to do about it.</summary>
/// <param name="Code">What was found, stable for filtering: a CVE id, or e.g. <c>weak-cipher</c>, <c>no-strict-kex</c>.</param>
/// <param name="Vulnerability">True for a known vulnerability of the software (a CVE), false for a configuration weakness.</param>
public sealed record PostureFinding(string Code, FindingSeverity Severity, string Title, string Fix, bool Vulnerability = false);
