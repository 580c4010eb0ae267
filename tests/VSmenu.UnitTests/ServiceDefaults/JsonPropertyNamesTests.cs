using System.Text;
using Microsoft.Extensions.Hosting;

namespace VSmenu.UnitTests.ServiceDefaults;

public sealed class JsonPropertyNamesTests
{
    [Theory]
    [InlineData("""{"email": "a", "email": "b"}""", "email")]
    [InlineData("""{"email": "a", "Email": "b"}""", "Email")]
    [InlineData("""{"email": "a", "\u0065mail": "b"}""", "email")]
    [InlineData("""{"items": [{"quantity": 1}, {"quantity": 2, "QUANTITY": 3}]}""", "QUANTITY")]
    [InlineData("""{"a": {"b": {"c": 1, "c": 2}}}""", "c")]
    public void A_name_repeated_in_one_object_in_any_case_or_escape_is_found(string json, string repeated) =>
        Assert.Equal(repeated, JsonPropertyNames.FindRepeated(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("""{"email": "a", "password": "b"}""")]
    [InlineData("""{"items": [{"quantity": 1}, {"quantity": 2}]}""")]
    [InlineData("""{"a": {"name": 1}, "b": {"name": 2}, "name": 3}""")]
    [InlineData("""[{"a": 1}, {"a": 2}]""")]
    [InlineData("""{"broken": """)]
    [InlineData("")]
    public void The_same_name_in_different_objects_or_a_malformed_body_is_not_a_repeat(string json) =>
        Assert.Null(JsonPropertyNames.FindRepeated(Encoding.UTF8.GetBytes(json)));
}
