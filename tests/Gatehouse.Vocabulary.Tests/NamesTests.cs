namespace Gatehouse.Vocabulary.Tests;

public sealed class NamesTests
{
    // "$" matches before a final "\n": the old login check accepted and stored "deploy\n".
    [Theory]
    [InlineData("deploy\n")]
    [InlineData("deploy\r\n")]
    [InlineData("deploy\t")]
    [InlineData("\ndeploy")]
    [InlineData("dep\nloy")]
    public void A_name_with_a_line_break_or_tab_is_refused_by_every_grammar(string name)
    {
        Assert.False(LoginNames.IsValid(name));
        Assert.False(UserNames.IsValid(UserNames.Normalise(name)));
        Assert.NotNull(UserNames.Validate(name));
        Assert.False(TargetNames.IsValid(TargetNames.Normalise(name)));
        Assert.False(LabelParts.IsValid(name));
    }

    [Theory]
    [InlineData("deploy", true)]
    [InlineData("_svc", true)]
    [InlineData("a.b-c_d", true)]
    [InlineData("Deploy", false)]
    [InlineData("1deploy", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("dep loy", false)]
    public void A_login_is_a_posix_user_name_and_keeps_its_case(string? login, bool valid) =>
        Assert.Equal(valid, LoginNames.IsValid(login));

    [Fact]
    public void Each_kind_of_name_has_its_longest_length()
    {
        Assert.True(LoginNames.IsValid(new string('a', LoginNames.MaxLength)));
        Assert.False(LoginNames.IsValid(new string('a', LoginNames.MaxLength + 1)));
        Assert.True(UserNames.IsValid(new string('a', UserNames.MaxLength)));
        Assert.False(UserNames.IsValid(new string('a', UserNames.MaxLength + 1)));
        Assert.True(TargetNames.IsValid(new string('a', TargetNames.MaxLength)));
        Assert.False(TargetNames.IsValid(new string('a', TargetNames.MaxLength + 1)));
        Assert.True(LabelParts.IsValid(new string('a', LabelParts.MaxLength)));
        Assert.False(LabelParts.IsValid(new string('a', LabelParts.MaxLength + 1)));
    }

    [Fact]
    public void User_and_target_names_are_stored_in_lower_case_without_surrounding_spaces()
    {
        Assert.Equal("alice", UserNames.Normalise(" Alice "));
        Assert.Equal("web01", TargetNames.Normalise("Web01"));
        Assert.Equal("", UserNames.Normalise(null));
    }

    [Theory]
    [InlineData("\u212Alice")]
    [InlineData("\u0130nfra")]
    public void A_look_alike_letter_is_not_folded_into_another_name(string name)
    {
        // ToLowerInvariant would make the Kelvin sign "k" and the dotted capital I an "i" with a dot.
        Assert.False(UserNames.IsValid(UserNames.Normalise(name)));
        Assert.False(TargetNames.IsValid(TargetNames.Normalise(name)));
    }

    [Theory]
    [InlineData("web01", true)]
    [InlineData("db-01.prod.example.com", true)]
    [InlineData("-web", false)]
    [InlineData("web 01", false)]
    [InlineData("web/01", false)]
    public void Target_names_are_host_like(string name, bool valid) => Assert.Equal(valid, TargetNames.IsValid(name));

    [Theory]
    [InlineData("team/db", true)]
    [InlineData("prod", true)]
    [InlineData("/prod", false)]
    [InlineData("Prod", false)]
    public void Label_parts_are_lower_case_words(string part, bool valid) => Assert.Equal(valid, LabelParts.IsValid(part));
}
