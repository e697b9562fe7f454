#include "hardened/selection.hpp"

#include <gtest/gtest.h>

#include "helpers.hpp"

namespace hardened {
namespace {

HostConfig host() {
  HostConfig config;
  config.source = "/etc/hardened-runtime/config.json";
  config.annotation_profiles = {"web", "strict"};
  config.rules = {{{{"io.kubernetes.pod.namespace", "untrusted-*"}}, "strict"},
                  {{{"io.kubernetes.cri.container-type", "sandbox"}, {"io.kubernetes.pod.namespace", "kube-system"}}, "default"}};
  config.relaxation_maxima.pids_max = 1000;
  config.relaxation_maxima.cpus_max = 2;
  return config;
}

TEST(Selection, EachLevelOverridesTheOneBelow) {
  EXPECT_EQ(select_profile(host(), std::nullopt, nullptr).profile, "default");
  EXPECT_EQ(select_profile(host(), "strict", nullptr).profile, "strict");
  const json annotated{{"org.hardened-runtime.profile", "web"}};
  const Selection by_annotation = select_profile(host(), "strict", &annotated);
  EXPECT_EQ(by_annotation.profile, "web");
  EXPECT_EQ(by_annotation.why, "annotation org.hardened-runtime.profile");
  const json ruled{{"org.hardened-runtime.profile", "web"}, {"io.kubernetes.pod.namespace", "untrusted-builds"}};
  const Selection by_rule = select_profile(host(), std::nullopt, &ruled);
  EXPECT_EQ(by_rule.profile, "strict");
  EXPECT_EQ(by_rule.why, "host rule 1 (io.kubernetes.pod.namespace=untrusted-*)");
  EXPECT_TRUE(by_rule.denials.empty());
}

TEST(Selection, ARuleMatchesOnlyWhenEveryAnnotationDoes) {
  const json sandbox{{"io.kubernetes.cri.container-type", "sandbox"}, {"io.kubernetes.pod.namespace", "kube-system"}};
  EXPECT_EQ(select_profile(host(), "strict", &sandbox).why, "host rule 2 (io.kubernetes.cri.container-type=sandbox, io.kubernetes.pod.namespace=kube-system)");
  const json container{{"io.kubernetes.cri.container-type", "container"}, {"io.kubernetes.pod.namespace", "kube-system"}};
  EXPECT_EQ(select_profile(host(), "strict", &container).profile, "strict");
}

TEST(Selection, AContainerCannotPickAProfileTheHostDidNotAllow) {
  const json annotated{{"org.hardened-runtime.profile", "permissive"}};
  const Selection s = select_profile(host(), std::nullopt, &annotated);
  EXPECT_EQ(s.profile, "default") << "what it would have had";
  ASSERT_EQ(s.denials.size(), 1u);
  EXPECT_NE(s.denials[0].message.find("add 'permissive' to annotation_profiles"), std::string::npos) << s.denials[0].message;
  HostConfig closed = host();
  closed.annotation_profiles.clear();
  const json web{{"org.hardened-runtime.profile", "web"}};
  EXPECT_EQ(select_profile(closed, std::nullopt, &web).denials.size(), 1u);
}

TEST(Selection, AMisspeltAnnotationIsRefused) {
  const json typo{{"org.hardened-runtime.pid-max", "500"}, {"org.example/other", "x"}};
  const Selection s = select_profile(host(), std::nullopt, &typo);
  ASSERT_EQ(s.denials.size(), 1u);
  EXPECT_NE(s.denials[0].message.find("unknown annotation org.hardened-runtime.pid-max"), std::string::npos);
}

TEST(Relaxations, WithinTheHostsMaximaOnly) {
  Findings denials;
  std::vector<std::string> applied;
  const json within{{"org.hardened-runtime.pids-max", "800"}, {"org.hardened-runtime.cpus-max", "1.5"}};
  const Profile relaxed = relax_profile(test::default_profile(), host(), &within, denials, applied);
  EXPECT_TRUE(denials.empty());
  EXPECT_EQ(relaxed.pids_max, 800);
  EXPECT_EQ(relaxed.cpus_max, 1.5);
  EXPECT_EQ(applied, (std::vector<std::string>{"resources.pids_max 100 -> 800 by annotation org.hardened-runtime.pids-max",
                                               "resources.cpus_max 1 -> 1.5 by annotation org.hardened-runtime.cpus-max"}));

  const json past{{"org.hardened-runtime.pids-max", "1001"}, {"org.hardened-runtime.memory-max-bytes", "1073741824"},
                  {"org.hardened-runtime.cpus-max", "lots"}};
  denials.clear();
  const Profile unchanged = relax_profile(test::default_profile(), host(), &past, denials, applied);
  ASSERT_EQ(denials.size(), 3u);
  EXPECT_NE(denials[0].message.find("past the host's maximum 1000"), std::string::npos) << denials[0].message;
  EXPECT_NE(denials[1].message.find("sets no relaxation_maxima for it"), std::string::npos) << denials[1].message;
  EXPECT_NE(denials[2].message.find("must be a positive number"), std::string::npos) << denials[2].message;
  EXPECT_EQ(unchanged.pids_max, 100);
}

TEST(Relaxations, AskingForLessIsAlwaysAllowed) {
  Findings denials;
  std::vector<std::string> applied;
  const json lower{{"org.hardened-runtime.memory-max-bytes", "67108864"}};
  HostConfig no_maxima = host();
  no_maxima.relaxation_maxima = {};
  EXPECT_EQ(relax_profile(test::default_profile(), no_maxima, &lower, denials, applied).memory_max_bytes, 67108864);
  EXPECT_TRUE(denials.empty());
}

}  // namespace
}  // namespace hardened
