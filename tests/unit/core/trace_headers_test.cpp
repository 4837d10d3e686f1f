// SPDX-License-Identifier: Apache-2.0
// Header vectors for traceparent, tracestate and baggage, each with its exact expected outcome
// (W3C Trace Context Level 2, W3C Baggage).
#include "frame_tracking/baggage.hpp"
#include "frame_tracking/trace_context.hpp"
#include "frame_tracking/traceparent.hpp"

#include <gtest/gtest.h>

namespace frame_tracking {
namespace {

const std::string kTid = "4bf92f3577b34da6a3ce929d0e0e4736";
const std::string kPid = "00f067aa0ba902b7";

// Expected outcome: `formatted` (the version-00 re-emission) when valid, else `error`.
struct TraceparentCase {
  std::string input;
  std::string formatted;
  std::string error;
};

TEST(TraceparentTest, HeaderVectors) {
  const std::string v00 = "00-" + kTid + "-" + kPid;
  const TraceparentCase cases[] = {
      // valid
      {v00 + "-01", v00 + "-01", ""},
      {v00 + "-00", v00 + "-00", ""},
      {v00 + "-02", v00 + "-02", ""},
      {v00 + "-03", v00 + "-03", ""},
      {v00 + "-ff", v00 + "-03", ""},  // unknown flag bits are not sent on
      {" \t" + v00 + "-01\t ", v00 + "-01", ""},
      {"cc-" + kTid + "-" + kPid + "-01", v00 + "-01", ""},
      {"cc-" + kTid + "-" + kPid + "-01-what-the-future-will-be-like", v00 + "-01", ""},
      {"01-" + kTid + "-" + kPid + "-09-", v00 + "-01", ""},
      // invalid
      {"", "", "traceparent: version must be 2 lowercase hex digits followed by '-'"},
      {"ff-" + kTid + "-" + kPid + "-01", "", "traceparent: version ff is invalid"},
      {"000-" + kTid + "-" + kPid + "-01", "", "traceparent: version must be 2 lowercase hex digits followed by '-'"},
      {"0000-" + kTid + "-" + kPid + "-01", "", "traceparent: version must be 2 lowercase hex digits followed by '-'"},
      {".0-" + kTid + "-" + kPid + "-01", "", "traceparent: version must be 2 lowercase hex digits followed by '-'"},
      {"0.-" + kTid + "-" + kPid + "-01", "", "traceparent: version must be 2 lowercase hex digits followed by '-'"},
      {"0A-" + kTid + "-" + kPid + "-01", "", "traceparent: version must be 2 lowercase hex digits followed by '-'"},
      {"00_" + kTid + "-" + kPid + "-01", "", "traceparent: version must be 2 lowercase hex digits followed by '-'"},
      {v00 + "-01.", "", "traceparent: version 00 must be exactly 55 characters, got 56"},
      {v00 + "-01-what-the-future-will-be-like", "", "traceparent: version 00 must be exactly 55 characters, got 84"},
      {v00 + "-1", "", "traceparent: version 00 must be exactly 55 characters, got 54"},
      {v00 + "-01 x", "", "traceparent: version 00 must be exactly 55 characters, got 57"},
      {"cc-" + kTid + "-" + kPid + "-0", "", "traceparent: must be at least 55 characters, got 54"},
      {"cc-" + kTid + "-" + kPid + "-01.what-the-future-will-be-like", "",
       "traceparent: trace-flags of a future version must be followed by '-' or the end"},
      {"00-4BF92F3577B34DA6A3CE929D0E0E4736-" + kPid + "-01", "",
       "traceparent: trace-id contains uppercase hex digits (W3C requires lowercase)"},
      {"00-" + kTid + "-00F067AA0BA902B7-01", "",
       "traceparent: parent-id contains uppercase hex digits (W3C requires lowercase)"},
      {v00 + "-0A", "", "traceparent: trace-flags contains uppercase hex digits (W3C requires lowercase)"},
      {v00 + "-0g", "", "traceparent: trace-flags must be 2 lowercase hex digits"},
      {"00-00000000000000000000000000000000-" + kPid + "-01", "", "traceparent: trace-id is all zeros"},
      {"00-" + kTid + "-0000000000000000-01", "", "traceparent: parent-id is all zeros"},
      {"00-4bf92f3577b34da6a3ce929d0e0e473-6" + kPid + "-01", "",
       "traceparent: trace-id must be 32 hex digits followed by '-'"},
      {"00-" + kTid + "-" + kPid + "_01", "", "traceparent: parent-id must be 16 hex digits followed by '-'"},
      {"00-4bf92f3577b34da6a3ce929d0e0e47.6-" + kPid + "-01", "", "traceparent: trace-id must be 32 lowercase hex digits"},
      {"00-" + kTid + "-00f067aa0ba902g7-01", "", "traceparent: parent-id must be 16 lowercase hex digits"},
  };
  for (const auto& c : cases) {
    auto parsed = parse_traceparent(c.input);
    if (c.error.empty()) {
      ASSERT_TRUE(parsed) << c.input << ": " << parsed.error().message;
      EXPECT_TRUE(parsed->is_valid());
      EXPECT_TRUE(parsed->is_remote());
      EXPECT_EQ(format_traceparent(*parsed), c.formatted) << c.input;
    } else {
      ASSERT_FALSE(parsed) << c.input;
      EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidInput);
      EXPECT_EQ(parsed.error().message, c.error) << c.input;
    }
  }
}

TEST(TraceparentTest, ParsesFieldsAndFlagBits) {
  auto parsed = parse_traceparent("00-" + kTid + "-" + kPid + "-03");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->trace_id.to_hex(), kTid);
  EXPECT_EQ(parsed->span_id.to_hex(), kPid);
  EXPECT_TRUE(parsed->trace_flags.sampled());
  EXPECT_TRUE(parsed->trace_flags.random());
  EXPECT_TRUE(parsed->trace_state.empty());
  auto unsampled = parse_traceparent("00-" + kTid + "-" + kPid + "-02");
  ASSERT_TRUE(unsampled);
  EXPECT_FALSE(unsampled->is_sampled());
}

TEST(TraceparentTest, FormatsIntoACallerBufferWithoutTerminator) {
  SpanContext c;
  c.trace_id = *TraceId::from_hex(kTid);
  c.span_id = *SpanId::from_hex(kPid);
  c.trace_flags = TraceFlags{TraceFlags::kSampled};
  char buffer[kTraceparentSize + 1];
  buffer[kTraceparentSize] = '#';
  format_traceparent(c, buffer);
  EXPECT_EQ(std::string_view(buffer, kTraceparentSize), "00-" + kTid + "-" + kPid + "-01");
  EXPECT_EQ(buffer[kTraceparentSize], '#');
}

// Expected outcome: the normalised header when valid, else the error.
struct TracestateCase {
  std::string input;
  std::string header;
  std::string error;
};

std::string members(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += (i ? "," : "") + std::string("k") + std::to_string(i) + "=v";
  return s;
}

TEST(TracestateTest, HeaderVectors) {
  const std::string key256 = "k" + std::string(255, 'a');
  const std::string value256 = std::string(256, 'v');
  const TracestateCase cases[] = {
      // valid
      {"", "", ""},
      {"foo=1", "foo=1", ""},
      {"foo=1,bar=2", "foo=1,bar=2", ""},
      {" foo=1 , \tbar=2\t ", "foo=1,bar=2", ""},
      {"foo=1,,bar=2", "foo=1,bar=2", ""},
      {"foo=1, ,\t,bar=2,", "foo=1,bar=2", ""},
      {"tenant@system=x", "tenant@system=x", ""},
      {"1foo=1", "1foo=1", ""},
      {"foo@=1", "foo@=1", ""},  // Level 2 key grammar allows '@' anywhere after the first character
      {"a*b/c_d-e=1", "a*b/c_d-e=1", ""},
      {"foo= bar", "foo= bar", ""},  // a leading space belongs to the value
      {"foo=bar ", "foo=bar", ""},   // trailing spaces are OWS
      {"rojo=00f067aa0ba902b7,congo=t61rcWkgMzE", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE", ""},
      {members(32), members(32), ""},
      {key256 + "=1", key256 + "=1", ""},
      {"k=" + value256, "k=" + value256, ""},
      {"k=!\"#$%&'()*+-./:;<>?@[\\]^_`{|}~", "k=!\"#$%&'()*+-./:;<>?@[\\]^_`{|}~", ""},
      // invalid: the whole tracestate is dropped
      {"FOO=1", "", "tracestate: key 'FOO' must start with a lowercase letter or a digit"},
      {"fOo=1", "", "tracestate: key 'fOo' may contain only a-z 0-9 _ - * / @"},
      {"foo.bar=1", "", "tracestate: key 'foo.bar' may contain only a-z 0-9 _ - * / @"},
      {"foo =1", "", "tracestate: key 'foo ' may contain only a-z 0-9 _ - * / @"},
      {"@foo=1", "", "tracestate: key '@foo' must start with a lowercase letter or a digit"},
      {"=1", "", "tracestate: key '' is empty"},
      {"foo", "", "tracestate: list-member 'foo' has no '='"},
      {"foo=", "", "tracestate: value of key 'foo' is empty"},
      {"foo=1,foo=2", "", "tracestate: key 'foo' appears more than once"},
      {"foo=a,b", "", "tracestate: list-member 'b' has no '='"},
      {"foo=a=b", "", "tracestate: value of key 'foo' may contain only printable ASCII except ',' and '='"},
      {"foo=b\tr", "", "tracestate: value of key 'foo' may contain only printable ASCII except ',' and '='"},
      {"foo=\x7f", "", "tracestate: value of key 'foo' may contain only printable ASCII except ',' and '='"},
      {"foo=caf\xC3\xA9", "", "tracestate: value of key 'foo' may contain only printable ASCII except ',' and '='"},
      {members(33), "", "tracestate: more than 32 list-members"},
      {key256 + "a=1", "", "tracestate: key '" + key256 + "a' is longer than 256 characters"},
      {"k=" + value256 + "v", "", "tracestate: value of key 'k' is longer than 256 characters"},
  };
  for (const auto& c : cases) {
    std::string error;
    auto state = TraceState::parse(c.input, &error);
    if (c.error.empty()) {
      ASSERT_TRUE(state) << c.input << ": " << error;
      EXPECT_EQ(state->header(), c.header) << c.input;
    } else {
      EXPECT_FALSE(state) << c.input;
      EXPECT_EQ(error, c.error) << c.input;
    }
  }
}

TEST(TracestateTest, GetAndMutationFollowTheW3CRules) {
  auto state = TraceState::parse("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  ASSERT_TRUE(state);
  EXPECT_EQ(state->get("congo"), "t61rcWkgMzE");
  EXPECT_EQ(state->get("con"), std::nullopt);
  auto updated = state->with("congo", "new");
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->header(), "congo=new,rojo=00f067aa0ba902b7");  // updated key moves to the front
  auto added = state->with("ft", "1");
  ASSERT_TRUE(added);
  EXPECT_EQ(added->header(), "ft=1,rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  EXPECT_EQ(state->with("Bad", "1"), std::nullopt);
  EXPECT_EQ(state->with("ok", "a,b"), std::nullopt);
  auto full = TraceState::parse(members(32));
  ASSERT_TRUE(full);
  auto pushed = full->with("new", "x");
  ASSERT_TRUE(pushed);
  EXPECT_EQ(pushed->header(), "new=x," + members(31));  // the rightmost member gives way
  EXPECT_EQ(TraceState().with("a", "b")->header(), "a=b");
}

// Expected outcome: the re-formatted header and dropped-member count when valid, else the error.
struct BaggageCase {
  std::string input;
  std::string header;
  std::string error;
  std::size_t dropped = 0;
};

std::string baggage_members(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += (i ? "," : "") + std::string("k") + std::to_string(i) + "=v";
  return s;
}

TEST(BaggageTest, HeaderVectors) {
  const std::string big(4000, 'x');
  const BaggageCase cases[] = {
      // valid
      {"", "", ""},
      {"userId=alice,serverNode=DF%2028,isProduction=false", "userId=alice,serverNode=DF%2028,isProduction=false", ""},
      {" key1 = value1 ; prop1 ; prop2 = v2 , key2=value2", "key1=value1;prop1;prop2=v2,key2=value2", ""},
      {"k=", "k=", ""},
      {"k=a=b", "k=a=b", ""},
      {"k=%E2%9C%93", "k=%E2%9C%93", ""},
      {"k=caf%c3%a9", "k=caf%C3%A9", ""},
      {"k=%FF", "k=%EF%BF%BD", ""},  // invalid UTF-8 decodes to U+FFFD
      {"k=50%25", "k=50%25", ""},
      {"k=1,k=2", "k=2", ""},
      {"a=1,,b=2,", "a=1,b=2", ""},
      {"!#$&'*+-.^_`|~09AZaz=v", "!#$&'*+-.^_`|~09AZaz=v", ""},
      {"k=v;p=%20x", "k=v;p=%20x", ""},  // property values are kept as received
      {baggage_members(64), baggage_members(64), ""},
      {baggage_members(65), baggage_members(64), "", 1},
      {"a=" + big + ",b=" + big + ",c=" + big, "a=" + big + ",b=" + big, "", 1},
      // invalid: the whole header is rejected
      {"k=%zz", "", "baggage: value of key 'k' has an invalid percent-encoding at offset 0"},
      {"k=ab%4", "", "baggage: value of key 'k' has an invalid percent-encoding at offset 2"},
      {"k=a b", "", "baggage: value of key 'k' contains a character that must be percent-encoded at offset 1"},
      {"k=\"q\"", "", "baggage: value of key 'k' contains a character that must be percent-encoded at offset 0"},
      {"k=a\\b", "", "baggage: value of key 'k' contains a character that must be percent-encoded at offset 1"},
      {"=v", "", "baggage: key '' is not a token (RFC 7230 tchar)"},
      {"k v=1", "", "baggage: key 'k v' is not a token (RFC 7230 tchar)"},
      {"k(1)=1", "", "baggage: key 'k(1)' is not a token (RFC 7230 tchar)"},
      {"kv", "", "baggage: list-member 'kv' has no '='"},
      {"k=v;=x", "", "baggage: key 'k': property '=x' has a key that is not a token"},
      {"k=v;;p", "", "baggage: key 'k': property '' has a key that is not a token"},
      {"k=v;p=a\\b", "", "baggage: key 'k': value of property 'p' contains a character that must be percent-encoded at offset 1"},
  };
  for (const auto& c : cases) {
    std::size_t dropped = 99;
    auto baggage = Baggage::parse(c.input, &dropped);
    if (c.error.empty()) {
      ASSERT_TRUE(baggage) << c.input << ": " << baggage.error().message;
      EXPECT_EQ(baggage->to_header(), c.header) << c.input;
      EXPECT_EQ(dropped, c.dropped) << c.input;
    } else {
      ASSERT_FALSE(baggage) << c.input;
      EXPECT_EQ(baggage.error().message, c.error) << c.input;
    }
  }
}

TEST(BaggageTest, DecodesValuesAndKeepsProperties) {
  auto baggage = Baggage::parse("serverNode=DF%2028, k = caf%C3%A9 ;ttl=60; secret ");
  ASSERT_TRUE(baggage);
  ASSERT_EQ(baggage->size(), 2u);
  EXPECT_EQ(baggage->get("serverNode"), "DF 28");
  EXPECT_EQ(baggage->get("k"), "caf\xC3\xA9");
  EXPECT_EQ(baggage->find("k")->properties, "ttl=60;secret");
  EXPECT_EQ(baggage->get("missing"), std::nullopt);
}

TEST(BaggageTest, SetEncodesAndRemoveDeletes) {
  Baggage b;
  EXPECT_TRUE(b.set("k", "a b,c;d%"));
  EXPECT_TRUE(b.set("user", "\xE2\x9C\x93", "p1; p2 = x"));
  EXPECT_FALSE(b.set("bad key", "v"));
  EXPECT_FALSE(b.set("k2", "v", "=x"));
  EXPECT_EQ(b.to_header(), "k=a%20b%2Cc%3Bd%25,user=%E2%9C%93;p1;p2=x");
  auto back = Baggage::parse(b.to_header());
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, b);
  EXPECT_TRUE(b.set("k", "new"));
  EXPECT_EQ(b.to_header(), "k=new,user=%E2%9C%93;p1;p2=x");
  EXPECT_TRUE(b.remove("k"));
  EXPECT_FALSE(b.remove("k"));
  EXPECT_EQ(b.to_header(), "user=%E2%9C%93;p1;p2=x");
}

}  // namespace
}  // namespace frame_tracking
