/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hivekit._hivekit: the module's table of contents. */
#include "ext.h"

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "hivekit._hivekit",
    .m_doc = "The C half of hivekit: winreg's functions and PyHKEY over hivekit.h, and "
             "file-level reads for hivekit.Hive.",
    .m_size = -1,
};

PyMODINIT_FUNC PyInit__hivekit(void);

PyMODINIT_FUNC PyInit__hivekit(void)
{
    PyObject *m = PyModule_Create(&module_def);
    if (!m)
        return NULL;
    if (hkp_errors_init(m) < 0 || hkp_handle_init(m) < 0 || hkp_hive_init(m) < 0 || hkp_walk_init(m) < 0 ||
        hkp_record_init(m) < 0 ||
        hkp_registry_init(m) < 0 ||
        PyModule_AddFunctions(m, hkp_winreg_read_methods) < 0 ||
        PyModule_AddFunctions(m, hkp_winreg_edit_methods) < 0 ||
        PyModule_AddFunctions(m, hkp_walk_methods) < 0 ||
        PyModule_AddFunctions(m, hkp_record_methods) < 0 ||
        PyModule_AddFunctions(m, hkp_scan_methods) < 0 ||
        PyModule_AddStringConstant(m, "library_version", HK_VERSION_STRING) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
