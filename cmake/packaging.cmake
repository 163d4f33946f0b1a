# The Debian package (issue 17): `cmake --build build --target package` writes
# build/attn-explain_VERSION_ARCH.deb with CPack's DEB generator. It installs to
# /usr: the binary, its data in /usr/share/attn-explain (found relative to the
# binary), the man page, the bash, zsh and fish completions, the README and the
# copyright file. Its Depends come from the libraries the binary links
# (dpkg-shlibdeps, from dpkg-dev).
install(FILES ${PROJECT_SOURCE_DIR}/packaging/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME attn-explain)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "attn-explain maintainers")
set(CPACK_PACKAGE_CONTACT "attn-explain maintainers <maintainers@users.noreply.h-seed-1b0a759d.example>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION education)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
# The synopsis line, then the long description (CPack indents it as Debian wants).
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "self-attention, computed in the open, stage by stage")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "attn-explain computes scaled dot-product self-attention on a sentence and
prints every stage as a labelled table: embeddings, queries, keys, values,
scores, scaling, softmax weights and context vectors, in float32 with
PyTorch's random generator, so the numbers are the tutorials' numbers.
It also narrates lessons, poses exercises, writes HTML and SVG views, and
shows the attention of a GPT-2-family checkpoint (a small demo model is
included).")
# The install tree's permissions as Debian wants them (0755 folders), whatever the umask.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
include(CPack)
